package io.cachep.apply;

import java.time.Duration;

/**
 * When a write counts as acknowledged: at Redis's reply ({@link #NONE}), or once {@code WAIT} says {@code replicas}
 * replicas of the primary that took it have it too ({@code projector.redis.wait.replicas}), so that an asynchronous
 * failover cannot lose a write whose offset was committed.
 *
 * @param replicas how many replicas must have each write; 0 for none
 * @param timeout  how long one WAIT may block; a WAIT that ends short counts as a transient failure
 * @param listener told, per shard, when its replicas fall short and when they are back
 */
public record ReplicaWait(int replicas, Duration timeout, Listener listener) {
    public static final ReplicaWait NONE = new ReplicaWait(0, Duration.ZERO, Listener.IGNORE);

    public ReplicaWait {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more: " + replicas);
        }
    }

    public boolean enabled() {
        return replicas > 0;
    }

    /** What a WAIT said, per shard (a primary, by its address). */
    public interface Listener {
        Listener IGNORE = new Listener() {
            @Override
            public void shortOf(String shard, long acknowledged, int wanted) {}

            @Override
            public void acknowledged(String shard) {}
        };

        /** A write on {@code shard} reached only {@code acknowledged} of the {@code wanted} replicas in time. */
        void shortOf(String shard, long acknowledged, int wanted);

        /** A write on {@code shard} reached every replica it had to. */
        void acknowledged(String shard);
    }
}
