package io.cachep.dlqtool.verify.share;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A shared run's keys in Redis, which every process of the run reads and writes: the descriptor
 * ({@code <namespace>:~verify-run:<run>}, set once), the shares' results ({@code ...:shares}, a hash from share to
 * result) and the processes still running ({@code ...:members}, a counter; the last to leave removes the run's
 * Kafka topics). All three expire {@link #KEEP} after they were last written.
 */
final class RunRecords {
    /** How long a run's keys, its result among them, stay in Redis. */
    static final Duration KEEP = Duration.ofDays(7);

    private final RedisClusterCommands<String, String> redis;
    private final String descriptor;
    private final String shares;
    private final String members;

    RunRecords(RedisClusterCommands<String, String> redis, KeyLayout layout, String run) {
        this.redis = redis;
        this.descriptor = layout.verifyRun(run);
        this.shares = descriptor + ":shares";
        this.members = descriptor + ":members";
    }

    /** The run's descriptor: the one stored, or {@code proposed} when this process is the first (SET NX). */
    RunDescriptor fix(RunDescriptor proposed) {
        String set = redis.set(descriptor, proposed.toJson(), SetArgs.Builder.nx().ex(KEEP));
        if ("OK".equals(set)) {
            return proposed;
        }
        return stored().orElseThrow(() -> new IllegalStateException(
                "the run's descriptor " + descriptor + " vanished while it was being fixed; start the run again"));
    }

    Optional<RunDescriptor> stored() {
        return Optional.ofNullable(redis.get(descriptor)).map(RunDescriptor::fromJson);
    }

    void putResult(ShareResult result) {
        redis.hset(shares, Integer.toString(result.share()), result.toJson());
        redis.expire(shares, KEEP);
    }

    /** The results in so far, by share. */
    Map<String, String> results() {
        return redis.hgetall(shares);
    }

    /** A process joins the run; returns how many are in it now. */
    long join() {
        long now = redis.incr(members);
        redis.expire(members, KEEP);
        return now;
    }

    /** A process leaves the run; returns how many are left. */
    long leave() {
        return redis.decr(members);
    }
}
