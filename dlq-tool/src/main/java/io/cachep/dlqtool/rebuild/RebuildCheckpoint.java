package io.cachep.dlqtool.rebuild;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a rebuild has got, kept in Redis beside its shadow ({@code <namespace>:~rebuild:~progress}, a hash), so a
 * second run after a kill continues where the first stopped. In Redis rather than a local file because the checkpoint
 * is only true of the shadow it describes: if Redis loses one, it loses both, and the next run starts over.
 *
 * <p>It holds the rules file's digest (a shadow built with other rules is discarded), the phase, the next offset to
 * apply per partition (saved only once every write before it is acknowledged), the SCAN cursor within the phase, and
 * the counts so far.
 */
public final class RebuildCheckpoint {
    /** The phases in order; each is safe to run again from its last saved cursor. */
    public enum Phase { BUILD, PROMOTE, DROP, TAGS, CLEANUP }

    private static final String POSITION = "pos:";
    private static final String COUNT = "count:";

    private final String key;
    private final String rulesDigest;
    private final Instant started;
    private final boolean resumed;
    private final Map<TopicPartition, Long> positions;
    private final RebuildCounts counts;
    private Phase phase;
    private String cursor;

    private RebuildCheckpoint(String key, String rulesDigest, Instant started, boolean resumed, Phase phase, String cursor,
                              Map<TopicPartition, Long> positions, RebuildCounts counts) {
        this.key = key;
        this.rulesDigest = rulesDigest;
        this.started = started;
        this.resumed = resumed;
        this.phase = phase;
        this.cursor = cursor;
        this.positions = positions;
        this.counts = counts;
    }

    public static String key(KeyLayout shadow) {
        return shadow.namespace() + ":~progress";
    }

    /** A new rebuild, from the start of the log. */
    public static RebuildCheckpoint start(KeyLayout shadow, String rulesDigest) {
        return new RebuildCheckpoint(key(shadow), rulesDigest, Instant.now(), false, Phase.BUILD, "0",
                new LinkedHashMap<>(), new RebuildCounts());
    }

    /** The checkpoint of an interrupted rebuild of this namespace, if there is one. */
    public static Optional<RebuildCheckpoint> load(RedisClusterCommands<String, String> redis, KeyLayout shadow) {
        Map<String, String> fields = redis.hgetall(key(shadow));
        if (fields.isEmpty() || fields.get("phase") == null) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(POSITION)) {
                int colon = name.lastIndexOf(':');
                positions.put(new TopicPartition(name.substring(POSITION.length(), colon),
                        Integer.parseInt(name.substring(colon + 1))), Long.parseLong(value));
            }
        });
        return Optional.of(new RebuildCheckpoint(key(shadow), fields.get("rules"), Instant.parse(fields.get("started")), true,
                Phase.valueOf(fields.get("phase")), fields.getOrDefault("cursor", "0"), positions,
                RebuildCounts.fromMap(fields, COUNT)));
    }

    public void save(RedisClusterCommands<String, String> redis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rules", rulesDigest);
        fields.put("started", started.toString());
        fields.put("phase", phase.name());
        fields.put("cursor", cursor);
        positions.forEach((p, offset) -> fields.put(POSITION + p.topic() + ':' + p.partition(), Long.toString(offset)));
        counts.asMap().forEach((name, n) -> fields.put(COUNT + name, Long.toString(n)));
        redis.hset(key, fields);
    }

    public void delete(RedisClusterCommands<String, String> redis) {
        redis.del(key);
    }

    /** The next phase, from the start of its scan. */
    public void moveTo(Phase next) {
        phase = next;
        cursor = "0";
    }

    public Phase phase() {
        return phase;
    }

    public String cursor() {
        return cursor;
    }

    public void cursor(String cursor) {
        this.cursor = cursor;
    }

    /** The next offset to apply into the shadow, by partition (live: the shadow build updates it). */
    public Map<TopicPartition, Long> positions() {
        return positions;
    }

    public RebuildCounts counts() {
        return counts;
    }

    public String rulesDigest() {
        return rulesDigest;
    }

    public Instant started() {
        return started;
    }

    /** True when this checkpoint was left by an earlier, interrupted run. */
    public boolean resumed() {
        return resumed;
    }
}
