package io.cachep.config;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach Redis. A user without a password authenticates with an empty one (a Redis ACL user may be
 * {@code nopass}); the loader refuses a user-only URI unless a password is configured or written as {@code user:@}. {@link #toString()} and {@link #redactedUri()} never show the password, so the
 * record is safe to log; only {@link #password()} hands it out.
 */
public record RedisEndpoint(boolean tls, List<Seed> seeds, int database, Optional<String> username,
                            Optional<String> password, Duration commandTimeout, RedisTls tlsSettings, boolean cluster) {

    public RedisEndpoint {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one host");
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(tlsSettings, "tlsSettings");
    }

    /** The first host (for a single server, the only one; for a cluster, the first seed). */
    public String host() {
        return seeds.get(0).host();
    }

    public int port() {
        return seeds.get(0).port();
    }

    /** The URI with the password replaced by [hidden], e.g. {@code redis://user:[hidden]@host:6379/0}. */
    public String redactedUri() {
        return format(tls, seeds, database, username, password.isPresent());
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + redactedUri() + (cluster ? ", cluster" : "") + ", commandTimeout=" + commandTimeout
                + (tls ? ", " + tlsSettings : "") + "]";
    }

    static String format(boolean tls, List<Seed> seeds, int database, Optional<String> username,
                         boolean hasPassword) {
        StringBuilder uri = new StringBuilder(tls ? "rediss://" : "redis://");
        if (username.isPresent() || hasPassword) {
            uri.append(username.orElse(""));
            if (hasPassword) {
                uri.append(':').append(ProjectorConfig.HIDDEN);
            }
            uri.append('@');
        }
        uri.append(seeds.stream().map(Seed::toString).collect(Collectors.joining(",")));
        return uri.append('/').append(database).toString();
    }
}
