package io.cachep.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach Redis. A user without a password authenticates with an empty one (a Redis ACL user may be
 * {@code nopass}); the loader refuses a user-only URI unless a password is configured or written as {@code user:@}. {@link #toString()} and {@link #redactedUri()} never show the password, so the
 * record is safe to log; only {@link #password()} hands it out.
 */
public record RedisEndpoint(boolean tls, String host, int port, int database, Optional<String> username,
                            Optional<String> password, Duration commandTimeout, RedisTls tlsSettings) {

    public RedisEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(tlsSettings, "tlsSettings");
    }

    /** The URI with the password replaced by [hidden], e.g. {@code redis://user:[hidden]@host:6379/0}. */
    public String redactedUri() {
        return format(tls, host, port, database, username, password.isPresent());
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + redactedUri() + ", commandTimeout=" + commandTimeout
                + (tls ? ", " + tlsSettings : "") + "]";
    }

    static String format(boolean tls, String host, int port, int database, Optional<String> username,
                         boolean hasPassword) {
        StringBuilder uri = new StringBuilder(tls ? "rediss://" : "redis://");
        if (username.isPresent() || hasPassword) {
            uri.append(username.orElse(""));
            if (hasPassword) {
                uri.append(':').append(ProjectorConfig.HIDDEN);
            }
            uri.append('@');
        }
        uri.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        return uri.append(':').append(port).append('/').append(database).toString();
    }
}
