package io.cachep.apply;

import io.cachep.config.RedisEndpoint;
import io.lettuce.core.RedisURI;

/** Lettuce's URI for a configured endpoint. */
public final class RedisUris {
    private RedisUris() {}

    public static RedisURI of(RedisEndpoint endpoint) {
        RedisURI.Builder builder = RedisURI.builder()
                .withHost(endpoint.host())
                .withPort(endpoint.port())
                .withSsl(endpoint.tls())
                .withDatabase(endpoint.database());
        endpoint.password().ifPresent(password -> {
            if (endpoint.username().isPresent()) {
                builder.withAuthentication(endpoint.username().get(), password);
            } else {
                builder.withPassword(password);
            }
        });
        return builder.build();
    }
}
