package io.cachep.bench;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The bench's own correctness: a fast projector that projects wrongly proves nothing. */
final class ModelCheck {
    record Result(int entries, List<String> divergences) {}

    private ModelCheck() {}

    /** One server's namespace against the reference projection of the whole pre-loaded log. */
    static Result run(RuleEngine engine, List<LoggedEvent> log, RedisCommands<String, String> redis) {
        return compare(engine, log, () -> RedisSnapshots.read(redis, engine.layout()));
    }

    /** The same on a single server or a Redis Cluster (every primary scanned). */
    static Result run(RuleEngine engine, List<LoggedEvent> log, RedisTarget redis) {
        return compare(engine, log, () -> RedisSnapshots.read(redis, engine.layout()));
    }

    /** The model first, at its own now, then Redis read: the order the check always had. */
    private static Result compare(RuleEngine engine, List<LoggedEvent> log, Supplier<Map<String, EntrySnapshot>> actual) {
        Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(log, System.currentTimeMillis());
        List<Divergence> divergences = Divergence.between(expected, actual.get());
        return new Result(expected.size(), divergences.stream().map(d -> d.kind() + " " + d.key()).toList());
    }
}
