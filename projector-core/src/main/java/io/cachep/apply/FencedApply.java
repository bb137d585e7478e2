package io.cachep.apply;

import io.cachep.rules.Mutation;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Applies one event's mutations to Redis, version-fenced: each call alone ({@link RedisApplier}) or batched ({@link ApplyBatcher}). */
public interface FencedApply {
    /** The outcome of each mutation, in the order given; fails with Lettuce's exception when Redis does. */
    CompletableFuture<List<ApplyOutcome>> apply(EventStamp stamp, List<Mutation> mutations);
}
