package io.cachep.bench;

import io.cachep.apply.RedisSnapshots;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;

/** The bench's own correctness: a fast projector that projects wrongly proves nothing. */
final class ModelCheck {
    record Result(int entries, List<String> divergences) {}

    private ModelCheck() {}

    /** Redis's namespace against the reference projection of the whole pre-loaded log. */
    static Result run(RuleEngine engine, List<LoggedEvent> log, RedisCommands<String, String> redis) {
        Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(log, System.currentTimeMillis());
        List<Divergence> divergences = Divergence.between(expected, RedisSnapshots.read(redis, engine.layout()));
        return new Result(expected.size(), divergences.stream().map(d -> d.kind() + " " + d.key()).toList());
    }
}
