package io.cachep.dlqtool;

import io.cachep.apply.RedisTarget;
import io.cachep.apply.ReplicaWait;
import io.cachep.config.ProjectorConfig;

/** Connections to the deployment the configuration points at, with the projector's own Redis options. */
final class Connections {
    private Connections() {}

    /**
     * The Redis the projector writes: a single server, or a Redis Cluster when {@code projector.redis.cluster} is set
     * (every command then keeps each call within one slot, and scans visit every primary). Writes wait for
     * {@code projector.redis.wait.replicas} replicas as the projector's do; a shard short of them fails the command
     * with a message naming it.
     */
    static RedisTarget redis(ProjectorConfig config) {
        return RedisTarget.connect(config.redis(), null, new ReplicaWait(config.redisWaitReplicas(),
                config.redisWaitTimeout(), ReplicaWait.Listener.IGNORE));
    }
}
