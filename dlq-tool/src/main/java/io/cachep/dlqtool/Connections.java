package io.cachep.dlqtool;

import io.cachep.apply.RedisConnector;
import io.cachep.config.ProjectorConfig;
import io.lettuce.core.RedisClient;

/** Clients for the deployment the configuration points at, with the projector's own Redis options. */
final class Connections {
    private Connections() {}

    static RedisClient redis(ProjectorConfig config) {
        return RedisConnector.client(config.redis());
    }
}
