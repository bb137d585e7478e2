package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rebuild protocol against a real redis-server, for random event streams over every operation: a live namespace
 * damaged every way rebuild must repair (written by an older version of the rules, entries, fences and tag indexes
 * lost, a key no rule writes) while a projector keeps applying the log; a shadow built from a prefix of the log; each
 * live fence read, the shadow caught up, each entry promoted while the projector applies more, tags carried over;
 * then the projector applies only what it had not applied yet. The live namespace must end equal to the reference
 * projection of the whole log under the current rules. A failure prints the seed ({@code -Dcachep.model.seed=<seed>}).
 */
@ExtendWith(DevStackExtension.class)
class ShadowPromoteMatchesModelIT {
    private static final int STREAMS = Integer.getInteger("cachep.model.streams", 200);
    private static final String TOPIC = "events";
    /** The rules before a fix: sessions carry a wrong device and a stray field, profile updates write a second key. */
    private static final String OLD_RULES = FencingMatchesModelIT.RULES
            .replace("hash: { user: \"{data.user}\", device: \"{data.device}\" }",
                    "hash: { user: \"{data.user}\", device: \"old-{data.device}\", stray: \"1\" }")
            .replace("      - merge: { key: \"profile:{subject}\", hash-from: data }",
                    "      - merge: { key: \"profile:{subject}\", hash-from: data }\n"
                            + "      - upsert: { key: \"legacy:{subject}\", json: \"{data}\" }");

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect(DevStack stack) {
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    @Test
    void shouldEndEqualToTheModelOfTheCurrentRulesWhateverTheLiveNamespaceHeldAndWhateverTheProjectorWroteMeanwhile(
            TestIsolation isolation) throws Exception {
        assertThat(OLD_RULES).contains("old-{data.device}").contains("legacy:{subject}");
        checkStreams(isolation.keyPrefix() + "s", false);
    }

    /**
     * The same, where the old rules ran on the release before the lean fence (layout 1) and the fixed rules come with
     * this release: the live fences rebuild reads and promotes over are of either layout.
     */
    @Test
    void shouldEndEqualToTheModelWhenTheOldRulesRanOnTheReleaseBeforeTheLeanFence(TestIsolation isolation)
            throws Exception {
        checkStreams(isolation.keyPrefix() + "u", true);
    }

    /** {@value #STREAMS} random streams, or the one of {@code -Dcachep.model.seed}, each in a namespace of its own. */
    private void checkStreams(String prefix, boolean oldRulesOnLayout1) throws Exception {
        Long only = Long.getLong("cachep.model.seed");
        long base = new Random().nextLong();
        int streams = only != null ? 1 : STREAMS;
        for (int i = 0; i < streams; i++) {
            long seed = only != null ? only : base + i;
            checkStream(seed, prefix + i, oldRulesOnLayout1);
        }
    }

    private void checkStream(long seed, String namespace, boolean oldRulesOnLayout1) throws Exception {
        Random random = new Random(seed);
        ProjectionRules rules = RulesFileLoader.parse("model-rules.yaml", FencingMatchesModelIT.RULES.replace("${namespace}", namespace));
        ProjectionRules oldRules = RulesFileLoader.parse("old-rules.yaml", OLD_RULES.replace("${namespace}", namespace));
        KeyLayout live = new KeyLayout(namespace);
        RuleEngine engine = new RuleEngine(rules);
        RuleEngine oldEngine = new RuleEngine(oldRules);
        RuleEngine shadowEngine = new RuleEngine(rules, live.shadow());
        RedisApplier liveApplier = new RedisApplier(connection.async(), rules.tombstoneRetention(), live);
        RedisApplier shadowApplier = new RedisApplier(connection.async(), rules.tombstoneRetention(), live.shadow());
        ShadowPromoter promoter = new ShadowPromoter(connection.async(), rules.tombstoneRetention(), live);

        long now = Instant.now().toEpochMilli();
        EventStreams generator = new EventStreams(random, now);
        List<EventEnvelope> log = generator.deliver(generator.log());
        int n = log.size();
        Layout1Applier layout1 = new Layout1Applier(redis, rules.tombstoneRetention(), live);
        Projector projector = new Projector(log, oldEngine, engine, liveApplier, oldRulesOnLayout1 ? layout1 : null);
        int lost = random.nextInt(n + 1);               // Redis loses data when the projector has applied this much
        projector.deployAt(random.nextInt(lost + 1));   // the fixed rules are deployed here, before the rebuild
        projector.upTo(lost);
        damage(random, live);
        int snapshot = between(random, lost, n);        // rebuild reads the end offsets, builds the shadow up to them
        projector.upTo(between(random, lost, n));
        Shadow shadow = new Shadow(log, shadowEngine, shadowApplier);
        shadow.upTo(snapshot);

        // Pass 1, the shadow's entries: read the live fences, catch the shadow up past the projector, promote.
        List<String> built = renderedKeys(live.shadow().fenceScanPattern(), live.shadow());
        promote(random, promoter, built, shadow, projector);
        // Pass 2, live entries not promoted yet: those the log no longer has, and those the shadow got since pass 1.
        List<String> others = new ArrayList<>();
        for (String entry : renderedKeys(live.scanPattern(), live)) {
            if (!promoter.isPromoted(entry).get()) {
                others.add(entry);
            }
        }
        promote(random, promoter, others, shadow, projector);
        for (String tag : new TreeSet<>(renderedTags(live.shadow()))) {
            promoter.promoteTag(tag).get();
        }
        projector.upTo(n);

        List<LoggedEvent> logged = new ArrayList<>();
        log.forEach(e -> logged.add(new LoggedEvent(TOPIC, e)));
        Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(logged, now);
        assertThat(RedisSnapshots.read(redis, live))
                .as("seed %d (rerun with -Dcachep.model.seed=%d): lost at %d, snapshot %d; log:%n%s", seed, seed, lost,
                        snapshot, EventStreams.describe(log))
                .isEqualTo(expected);
    }

    /**
     * One batch of rebuild's protocol: read the live fences, catch the shadow up to at least where the projector is,
     * then promote each entry while the projector applies more, in a random interleaving.
     */
    private void promote(Random random, ShadowPromoter promoter, List<String> entries, Shadow shadow, Projector projector)
            throws Exception {
        Map<String, Map<String, String>> fences = new TreeMap<>();
        for (String entry : entries) {
            fences.put(entry, promoter.readFence(entry).get());
        }
        shadow.upTo(between(random, Math.max(shadow.position, projector.position), shadow.log.size()));
        List<String> order = new ArrayList<>(entries);
        Collections.shuffle(order, random);
        for (String entry : order) {
            while (random.nextInt(3) == 0) {
                projector.upTo(Math.min(projector.position + 1, shadow.log.size()));
            }
            promoter.promote(entry, fences.get(entry)).get();
        }
    }

    /**
     * The live projector: applies the log in order, with the old rules until the fixed ones are deployed (on the
     * release before the lean fence, when {@code oldRelease} is given).
     */
    private static final class Projector {
        final List<EventEnvelope> log;
        final RuleEngine oldEngine;
        final RuleEngine engine;
        final RedisApplier applier;
        final Layout1Applier oldRelease;
        int position;
        int deployedAt;

        Projector(List<EventEnvelope> log, RuleEngine oldEngine, RuleEngine engine, RedisApplier applier,
                  Layout1Applier oldRelease) {
            this.log = log;
            this.oldEngine = oldEngine;
            this.engine = engine;
            this.applier = applier;
            this.oldRelease = oldRelease;
        }

        void deployAt(int index) {
            deployedAt = index;
        }

        void upTo(int end) throws Exception {
            for (; position < end; position++) {
                EventEnvelope event = log.get(position);
                if (position >= deployedAt) {
                    apply(engine, applier, event);
                } else if (oldRelease != null) {
                    oldRelease.apply(EventStamp.of(event), oldEngine.project(TOPIC, event));
                } else {
                    apply(oldEngine, applier, event);
                }
            }
        }
    }

    /** rebuild's shadow: the log applied in order under the current rules, into the shadow namespace. */
    private static final class Shadow {
        final List<EventEnvelope> log;
        final RuleEngine engine;
        final RedisApplier applier;
        int position;

        Shadow(List<EventEnvelope> log, RuleEngine engine, RedisApplier applier) {
            this.log = log;
            this.engine = engine;
            this.applier = applier;
        }

        void upTo(int end) throws Exception {
            for (; position < end; position++) {
                apply(engine, applier, log.get(position));
            }
        }
    }

    /**
     * Redis lost some entries, fences and tag indexes; someone wrote a key by hand. The keys are taken in sorted order:
     * in SCAN's order (which depends on everything else in the database) a seed would not reproduce the same damage.
     */
    private void damage(Random random, KeyLayout live) {
        for (String key : new TreeSet<>(keys(live.scanPattern()))) {
            if (random.nextInt(4) == 0) {
                redis.del(key);
            }
        }
        if (random.nextBoolean()) {
            redis.set(live.entry("ghost:{g-1}").data(), "written by hand");
        }
    }

    /** Entries of a layout, as rebuild lists them: by fence, and by data key for data without a fence. */
    private List<String> renderedKeys(String pattern, KeyLayout layout) {
        TreeSet<String> entries = new TreeSet<>();
        keys(pattern).forEach(key -> layout.renderedKeyOf(key).ifPresent(entries::add));
        return new ArrayList<>(entries);
    }

    private List<String> renderedTags(KeyLayout layout) {
        List<String> tags = new ArrayList<>();
        keys(layout.tagScanPattern()).forEach(key -> layout.renderedTagOf(key).ifPresent(tags::add));
        return tags;
    }

    private static int between(Random random, int from, int to) {
        return from + random.nextInt(to - from + 1);
    }

    private static void apply(RuleEngine engine, RedisApplier applier, EventEnvelope event) throws Exception {
        applier.apply(EventStamp.of(event), engine.project(TOPIC, event)).get();
    }

    private List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern).limit(500)).forEachRemaining(keys::add);
        return keys;
    }
}
