package io.cachep.apply;

import io.cachep.config.ProjectorConfig;
import io.cachep.errors.Causes;
import java.util.Optional;

/**
 * What an operator should do about a Redis failure that configuration, not a retry, fixes: a missing ACL grant
 * ({@link RedisPermissions}) or a TLS handshake that failed for a reason the TLS settings decide. One line each, for
 * the projector's startup and stop messages and every dlq-tool command, instead of the JDK's own words for it.
 */
public final class RedisAdvice {
    private RedisAdvice() {}

    /** The advice, or empty when {@code failure} is neither a permission nor a TLS configuration problem. */
    public static Optional<String> explain(Throwable failure) {
        return RedisPermissions.explain(failure).or(() -> tls(failure));
    }

    private static Optional<String> tls(Throwable failure) {
        for (Throwable e : Causes.of(failure)) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("PKIX path building failed") || message.contains("unable to find valid certification path")) {
                return Optional.of("the Redis server's TLS certificate is not signed by an authority this client trusts: set "
                        + ProjectorConfig.REDIS_TLS_CA_FILE_CONFIG + " to the CA that signed it (without it, only the"
                        + " JVM's trust store counts)");
            }
            if (message.contains("No subject alternative") || message.contains("No name matching")) {
                return Optional.of("the Redis server's TLS certificate does not name the host in "
                        + ProjectorConfig.REDIS_URI_CONFIG + " (" + message.strip() + "): connect by a name it holds, or"
                        + " set " + ProjectorConfig.REDIS_TLS_VERIFY_CONFIG + "=ca to check the chain only");
            }
            if (message.contains("certificate_required")) {
                return Optional.of("the Redis server requires a client certificate (mutual TLS): set "
                        + ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG + " and " + ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG);
            }
            if (message.contains("unknown_ca") || message.contains("bad_certificate")) {
                return Optional.of("the Redis server refused this client's TLS certificate (" + message.strip()
                        + "): " + ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG + " must be signed by a CA in the server's"
                        + " tls-ca-cert-file");
            }
        }
        return Optional.empty();
    }
}
