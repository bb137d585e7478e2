package io.cachep.dlqtool.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.apply.RedisTarget;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.RedisCluster;
import io.cachep.rules.KeyLayout;
import io.cachep.scan.KeyScan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebuild's resumable scan on six real Redis Cluster nodes: a scan stopped after any batch and resumed from the
 * position it handed out visits every key of every primary, also when the primary it stopped in is no longer the node
 * the position names (as after a failover); and the shadow's removal unlinks keys of every slot without CROSSSLOT.
 */
class ClusterKeyScanIT {
    private static final int KEYS = 2_000;
    private static final int BATCH = 100;

    private static RedisCluster cluster;
    private static RedisTarget redis;
    private String prefix;
    private Set<String> written;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start(RedisCluster.Options.defaults());
        Path rules = Files.createTempFile("rules-", ".yaml");
        Files.writeString(rules, "rules: []\n");
        rules.toFile().deleteOnExit();
        ProjectorConfig config = new ConfigLoader(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_REDIS_URI", cluster.uri(),
                "PROJECTOR_REDIS_CLUSTER", "true")).load(Optional.empty(), Map.of());
        redis = RedisTarget.connect(config.redis(), null);
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void writeKeys() {
        prefix = "scan-" + UUID.randomUUID().toString().substring(0, 8);
        written = new HashSet<>();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String key = prefix + ":item:{i-" + i + "}";
            written.add(key);
            writes.add(redis.async().set(key, "v").toCompletableFuture());
        }
        writes.forEach(CompletableFuture::join);
        assertThat(redis.primariesWithSlotsNow()).as("the keys spread over three primaries").hasSize(3);
    }

    @Test
    void shouldVisitEveryKeyOfEveryPrimaryWhenStoppedAndResumedAfterAnyBatch() {
        Set<String> seen = new HashSet<>();
        List<String> positions = new ArrayList<>();
        String cursor = "0";
        int runs = 0;
        do {
            cursor = scanSome(cursor, 3, seen, positions);
            runs++;
        } while (!cursor.equals("0"));

        assertThat(seen).containsExactlyInAnyOrderElementsOf(written);
        assertThat(runs).as("the scan was resumed many times").isGreaterThan(3);
        assertThat(positions).as("stopped in the middle of a primary, and between primaries with some done")
                .anyMatch(p -> p.contains(";node=")).anyMatch(p -> p.matches("cluster;done=\\d.*"));
    }

    @Test
    void shouldScanAPrimaryAgainFromTheStartWhenThePositionNamesANodeThatIsGone() {
        Set<String> seen = new HashSet<>();
        List<String> positions = new ArrayList<>();
        String stopped = scanSome("0", 2, seen, positions);
        assertThat(stopped).contains(";node=");

        // As after a failover: the shard's primary is now another node, where this SCAN cursor means nothing.
        String failedOver = stopped.replaceFirst(";node=[^;]+;", ";node=0000000000000000000000000000000000000000;");
        String cursor = failedOver;
        do {
            cursor = scanSome(cursor, Integer.MAX_VALUE, seen, positions);
        } while (!cursor.equals("0"));

        assertThat(seen).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void shouldRemoveTheShadowFromEveryPrimaryOneSlotAtATime() {
        KeyLayout shadow = new KeyLayout(prefix).shadow();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            writes.add(redis.async().set(shadow.entry("item:{i-" + i + "}").data(), "shadow").toCompletableFuture());
        }
        writes.forEach(CompletableFuture::join);
        String kept = RebuildCheckpoint.key(shadow);
        redis.sync().set(kept, "kept");

        ShadowNamespace.remove(redis, shadow, Set.of(kept), "0", (keys, next) -> {});

        Set<String> left = new HashSet<>();
        KeyScan.batches(redis, shadow.scanPattern(), "0", 1000, (keys, next) -> left.addAll(keys));
        assertThat(left).containsExactly(kept);
        assertThat(KeyScan.count(redis, prefix + ":item:*")).as("live keys untouched").isEqualTo(KEYS);
    }

    @Test
    void shouldEndAtOnceFromAFinishedPositionAndRefuseAMalformedOne() {
        assertThatThrownBy(() -> KeyScan.batches(redis, prefix + ":*", "cluster;done=0-16383;node=x", BATCH, (k, n) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> none = new ArrayList<>();
        KeyScan.batches(redis, prefix + ":*", "cluster;done=0-16383", BATCH, (keys, next) -> none.addAll(keys));
        assertThat(none).as("a finished position visits nothing").isEmpty();
    }

    /** Scans from {@code cursor} for at most {@code batches} batches; the position to resume from ("0": done). */
    private String scanSome(String cursor, int batches, Set<String> seen, List<String> positions) {
        String[] last = {cursor};
        int[] taken = {0};
        try {
            KeyScan.batches(redis, prefix + ":*", cursor, BATCH, (keys, next) -> {
                seen.addAll(keys);
                positions.add(next);
                last[0] = next;
                if (++taken[0] >= batches && !next.equals("0")) {
                    throw new Stop();
                }
            });
        } catch (Stop stop) {
            // as a killed rebuild: the checkpoint holds the position after the last batch
        }
        return last[0];
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }
}
