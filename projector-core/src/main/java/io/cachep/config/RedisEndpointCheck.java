package io.cachep.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks on the Redis endpoint that need several keys at once: a seed list without cluster mode, a database
 * other than 0 on a cluster, a WAIT that may outlast the command timeout, a user named without a password, TLS options on a plain redis:// URI, a certificate
 * without its key, and every PEM file read and understood, so that a bad deployment stops at startup with the whole
 * list rather than at the first connection or TLS handshake.
 */
final class RedisEndpointCheck {
    /**
     * A WAIT blocks its connection up to its own timeout; Lettuce counts it failed after the command timeout, so the
     * command timeout must leave room for it or every short WAIT reads as a Redis timeout.
     */
    private void checkWait(Map<String, Object> originals, List<String> problems) {
        Object replicas = originals.get(ProjectorConfig.REDIS_WAIT_REPLICAS_CONFIG);
        if (replicas == null || Integer.parseInt(String.valueOf(replicas).trim()) == 0) {
            return;
        }
        long wait = longValue(originals, ProjectorConfig.REDIS_WAIT_TIMEOUT_MS_CONFIG);
        long command = longValue(originals, ProjectorConfig.REDIS_COMMAND_TIMEOUT_MS_CONFIG);
        if (wait >= command) {
            problems.add(where.apply(ProjectorConfig.REDIS_WAIT_TIMEOUT_MS_CONFIG) + " is " + wait + " ms, not below "
                    + where.apply(ProjectorConfig.REDIS_COMMAND_TIMEOUT_MS_CONFIG) + " (" + command + " ms): a WAIT"
                    + " holds its command that long, so lower the first or raise the second");
        }
    }

    private static long longValue(Map<String, Object> originals, String key) {
        return Long.parseLong(String.valueOf(originals.getOrDefault(key,
                ProjectorConfig.DEFINITION.defaultValues().get(key))).trim());
    }

    private final Function<String, String> where;

    /** @param where names a key and where its value came from, for messages */
    RedisEndpointCheck(Function<String, String> where) {
        this.where = where;
    }

    /**
     * @param set       the keys someone set (file, environment or flag)
     * @param originals the values that passed their own validation
     */
    void check(Set<String> set, Map<String, Object> originals, List<String> problems) {
        if (set.contains(ProjectorConfig.REDIS_URI_CONFIG) && !originals.containsKey(ProjectorConfig.REDIS_URI_CONFIG)) {
            return; // the URI is invalid, and already reported
        }
        RedisUri.Parts uri = RedisUri.parse(String.valueOf(originals.getOrDefault(ProjectorConfig.REDIS_URI_CONFIG,
                ProjectorConfig.DEFINITION.defaultValues().get(ProjectorConfig.REDIS_URI_CONFIG))));
        boolean cluster = Boolean.parseBoolean(String.valueOf(originals.getOrDefault(
                ProjectorConfig.REDIS_CLUSTER_CONFIG, "false")).trim());
        if (uri.seeds().size() > 1 && !cluster) {
            problems.add(where.apply(ProjectorConfig.REDIS_URI_CONFIG) + " lists " + uri.seeds().size() + " hosts, a"
                    + " seed list, which only a Redis Cluster takes: set " + ProjectorConfig.REDIS_CLUSTER_CONFIG
                    + "=true (" + EnvironmentNames.forKey(ProjectorConfig.REDIS_CLUSTER_CONFIG) + "), or give one host");
        }
        if (cluster && uri.database() != 0) {
            problems.add(where.apply(ProjectorConfig.REDIS_URI_CONFIG) + " names database " + uri.database()
                    + ", but a Redis Cluster has only database 0: drop the /" + uri.database());
        }
        checkWait(originals, problems);
        boolean passwordConfigured = Optional.ofNullable(originals.get(ProjectorConfig.REDIS_PASSWORD_CONFIG))
                .map(String::valueOf).filter(p -> !p.isEmpty()).isPresent();
        if (uri.userOnly() && !passwordConfigured) {
            // The name is not quoted: Lettuce-style URIs put a password there.
            problems.add(where.apply(ProjectorConfig.REDIS_URI_CONFIG) + " names a user before '@' but no password"
                    + " is set: set " + ProjectorConfig.REDIS_PASSWORD_CONFIG + " ("
                    + EnvironmentNames.forKey(ProjectorConfig.REDIS_PASSWORD_CONFIG) + "), or write user:@ for a user"
                    + " without a password, or :password@ if that text was the password");
        }

        Optional<Path> ca = path(ProjectorConfig.REDIS_TLS_CA_FILE_CONFIG, originals, problems);
        Optional<Path> cert = path(ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG, originals, problems);
        Optional<Path> key = path(ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG, originals, problems);
        boolean verifySet = set.contains(ProjectorConfig.REDIS_TLS_VERIFY_CONFIG);
        if (!uri.tls() && (ca.isPresent() || cert.isPresent() || key.isPresent() || verifySet)) {
            problems.add("projector.redis.tls.* options are set but " + where.apply(ProjectorConfig.REDIS_URI_CONFIG)
                    + " is a plain redis:// URI: use rediss:// to talk TLS, or drop the TLS options");
        }
        if (cert.isPresent() != key.isPresent()) {
            String given = cert.isPresent() ? ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG : ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG;
            String missing = cert.isPresent() ? ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG : ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG;
            problems.add(where.apply(given) + " is set without " + missing + " (" + EnvironmentNames.forKey(missing)
                    + "): mutual TLS needs the client certificate and its private key");
        }
        ca.ifPresent(file -> certificates(ProjectorConfig.REDIS_TLS_CA_FILE_CONFIG, file, problems));
        Optional<X509Certificate> leaf = cert.flatMap(file ->
                certificates(ProjectorConfig.REDIS_TLS_CERT_FILE_CONFIG, file, problems).stream().findFirst());
        Optional<PrivateKey> privateKey = key.flatMap(file -> privateKey(file, problems));
        if (leaf.isPresent() && privateKey.isPresent() && !PemFiles.matches(privateKey.get(), leaf.get())) {
            problems.add(where.apply(ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG) + ": the key in " + key.get()
                    + " does not belong to the certificate in " + cert.get());
        }
    }

    private Optional<Path> path(String configKey, Map<String, Object> originals, List<String> problems) {
        Object value = originals.get(configKey);
        String text = value == null ? "" : String.valueOf(value).trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            problems.add(where.apply(configKey) + ": '" + text + "' is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }

    private List<X509Certificate> certificates(String configKey, Path file, List<String> problems) {
        try {
            return PemFiles.certificates(file);
        } catch (PemFiles.PemException e) {
            problems.add(where.apply(configKey) + ": " + e.getMessage());
            return List.of();
        }
    }

    private Optional<PrivateKey> privateKey(Path file, List<String> problems) {
        try {
            return Optional.of(PemFiles.privateKey(file));
        } catch (PemFiles.PemException e) {
            problems.add(where.apply(ProjectorConfig.REDIS_TLS_KEY_FILE_CONFIG) + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
