package io.cachep.demo;

import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.RedisTarget;
import io.cachep.config.RedisEndpoint;
import io.cachep.producer.DemoProducer;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.text.TextTable;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The demo's closing summary: what was produced, what the projector decided, and what Redis now holds. */
final class DemoReport {
    private static final int SAMPLES = 8;

    private final DemoProducer.Summary produced;
    private final ProjectionMetrics metrics;
    private final RedisEndpoint endpoint;
    private final KeyLayout layout;

    /** @param endpoint the projector's Redis (a single server or a cluster, with its credentials and TLS) */
    DemoReport(DemoProducer.Summary produced, ProjectionMetrics metrics, RedisEndpoint endpoint, ProjectionRules rules) {
        this.produced = produced;
        this.metrics = metrics;
        this.endpoint = endpoint;
        this.layout = new KeyLayout(rules.namespace());
    }

    String render() {
        StringBuilder out = new StringBuilder("\n");
        TextTable producedTable = new TextTable("produced", "records");
        produced.byKind().forEach(producedTable::row);
        producedTable.row("total", produced.total());
        out.append(producedTable.render()).append('\n');

        TextTable outcomes = new TextTable("projector outcome", "events");
        for (ApplyOutcome outcome : ApplyOutcome.values()) {
            outcomes.row(outcome.label(), metrics.count(outcome.label()));
        }
        outcomes.row("dead-lettered (dlq)", metrics.count(ProjectionMetrics.DLQ_OUTCOME));
        out.append(outcomes.render()).append('\n');

        try (RedisTarget target = RedisTarget.connect(endpoint, null)) {
            RedisClusterCommands<String, String> redis = target.sync(); // routes each key to its slot's primary
            List<String> dataKeys = new ArrayList<>();
            long fences = 0;
            // On a Redis Cluster each primary holds its own slots' keys: scan every one, as the topology is now.
            for (RedisTarget.Primary primary : target.primariesWithSlotsNow()) {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<String> page = primary.commands().scan(cursor, ScanArgs.Builder.matches(layout.scanPattern()).limit(1000));
                    for (String key : page.getKeys()) {
                        if (layout.isMetadata(key)) {
                            fences++;
                        } else {
                            dataKeys.add(key);
                        }
                    }
                    cursor = page;
                } while (!cursor.isFinished());
            }
            TextTable keys = new TextTable("redis (namespace " + layout.namespace() + ")", "keys");
            keys.row("entries", dataKeys.size());
            keys.row("metadata (fences, tombstones, tag indexes)", fences);
            out.append(keys.render()).append('\n');

            TextTable samples = new TextTable("sample entry", "ttl", "value");
            Map<String, String> onePerKind = new TreeMap<>();
            dataKeys.stream().sorted().forEach(key -> onePerKind.putIfAbsent(key.replaceAll("\\{[^}]*}", "{*}"), key));
            onePerKind.values().stream().limit(SAMPLES).forEach(key -> samples.row(key,
                    ttl(redis.pttl(key)), value(redis, key)));
            out.append(samples.render());
        }
        return out.toString();
    }

    private static String ttl(long millis) {
        if (millis < 0) {
            return millis == -1 ? "none" : "gone";
        }
        Duration d = Duration.ofMillis(millis);
        return d.toMinutes() + "m" + String.format("%02d", d.toSecondsPart()) + "s";
    }

    private static String value(RedisClusterCommands<String, String> redis, String key) {
        return switch (redis.type(key)) {
            case "hash" -> render(redis.hgetall(key));
            case "string" -> redis.get(key);
            case "set" -> new TreeSet<>(redis.smembers(key)).toString();
            case "zset" -> redis.zrangeWithScores(key, 0, -1).stream()
                    .map(v -> v.getValue() + "=" + (long) v.getScore()).collect(Collectors.joining(" "));
            default -> "(" + redis.type(key) + ")";
        };
    }

    private static String render(Map<String, String> hash) {
        return new TreeMap<>(hash).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
