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
        if (endpoint.tls()) {
            builder.withVerifyPeer(RedisTlsOptions.verifyMode(endpoint.tlsSettings()));
        }
        if (endpoint.username().isPresent()) {
            // A user without a password is an ACL user declared nopass, which accepts any password.
            builder.withAuthentication(endpoint.username().get(), endpoint.password().orElse(""));
        } else {
            endpoint.password().ifPresent(builder::withPassword);
        }
        return builder.build();
    }
}
