package io.cachep.apply;

import io.cachep.config.RedisEndpoint;
import io.cachep.config.Seed;
import io.lettuce.core.RedisURI;
import java.util.List;

/** Lettuce's URIs for a configured endpoint: one, or one per seed of a cluster. */
public final class RedisUris {
    private RedisUris() {}

    /** The URI of the endpoint's first (for a single server, only) host. */
    public static RedisURI of(RedisEndpoint endpoint) {
        return of(endpoint, endpoint.seeds().get(0));
    }

    /** One URI per seed, each with the endpoint's credentials and TLS settings. */
    public static List<RedisURI> seeds(RedisEndpoint endpoint) {
        return endpoint.seeds().stream().map(seed -> of(endpoint, seed)).toList();
    }

    private static RedisURI of(RedisEndpoint endpoint, Seed seed) {
        RedisURI.Builder builder = RedisURI.builder()
                .withHost(seed.host())
                .withPort(seed.port())
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
