package io.cachep.config.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;

import picocli.CommandLine.Option;

/**
 * The configuration flags shared by the projector and the operator CLI; add with {@code @Mixin}. Flags win over
 * environment variables, which win over the --config file. A named flag such as --http-port wins over
 * --set projector.http.port=... given on the same command line. Every value stays a string here so that
 * {@link ConfigLoader} checks all of them in one place and reports all problems together.
 */
public final class ConfigOptions {

    /** Each named shortcut and the key it sets; also used to name the flag when a required key is missing. */
    public static final Map<String, String> FLAG_BY_KEY = Map.of(
            ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, "--bootstrap-servers",
            ProjectorConfig.REDIS_URI_CONFIG, "--redis-uri",
            ProjectorConfig.RULES_FILE_CONFIG, "--rules-file",
            ProjectorConfig.APPLICATION_ID_CONFIG, "--application-id",
            ProjectorConfig.DLQ_TOPIC_CONFIG, "--dlq-topic",
            ProjectorConfig.HTTP_PORT_CONFIG, "--http-port");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file of projector.* keys; environment variables and flags override it.")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set any key, e.g. --set projector.kafka.security.protocol=SASL_SSL. Repeatable."
                    + " Overrides the environment (a key's variable is its name upper-cased, '.' and '-' as '_').")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (" + ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG
                    + ", environment PROJECTOR_KAFKA_BOOTSTRAP_SERVERS).")
    private String bootstrapServers;

    @Option(names = "--redis-uri", paramLabel = "URI",
            description = "redis://[user:password@]host[:port][/db] or rediss:// for TLS (" + ProjectorConfig.REDIS_URI_CONFIG
                    + ", environment PROJECTOR_REDIS_URI). Prefer PROJECTOR_REDIS_PASSWORD for the password:"
                    + " command lines are visible to other users of the machine.")
    private String redisUri;

    @Option(names = "--rules-file", paramLabel = "FILE",
            description = "YAML projection rules (" + ProjectorConfig.RULES_FILE_CONFIG
                    + ", environment PROJECTOR_RULES_FILE).")
    private String rulesFile;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id and consumer group (" + ProjectorConfig.APPLICATION_ID_CONFIG
                    + ", environment PROJECTOR_APPLICATION_ID).")
    private String applicationId;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC",
            description = "Dead-letter topic (" + ProjectorConfig.DLQ_TOPIC_CONFIG
                    + ", environment PROJECTOR_DLQ_TOPIC).")
    private String dlqTopic;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port for /metrics, /health and /ready, 0 for any free port (" + ProjectorConfig.HTTP_PORT_CONFIG
                    + ", environment PROJECTOR_HTTP_PORT).")
    private String httpPort;

    /** Loads the configuration: defaults, then the --config file, then {@code environment}, then these flags. */
    public ProjectorConfig load(Map<String, String> environment) {
        return new ConfigLoader(environment, FLAG_BY_KEY).load(configFile(), cliOverrides());
    }

    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** The --set pairs with the named flags laid over them. */
    public Map<String, String> cliOverrides() {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        putIfGiven(overrides, ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        putIfGiven(overrides, ProjectorConfig.REDIS_URI_CONFIG, redisUri);
        putIfGiven(overrides, ProjectorConfig.RULES_FILE_CONFIG, rulesFile);
        putIfGiven(overrides, ProjectorConfig.APPLICATION_ID_CONFIG, applicationId);
        putIfGiven(overrides, ProjectorConfig.DLQ_TOPIC_CONFIG, dlqTopic);
        putIfGiven(overrides, ProjectorConfig.HTTP_PORT_CONFIG, httpPort);
        return overrides;
    }

    private static void putIfGiven(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
