package io.cachep.config;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Decides which pass-through Kafka keys hold secrets, so {@link ProjectorConfig#redacted()} can hide them. */
final class SecretKeys {

    /** Keys the Kafka clients themselves declare as PASSWORD (ssl.key.password, sasl.jaas.config, ...). */
    private static final Set<String> KAFKA_PASSWORD_KEYS =
            Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                    .flatMap(definition -> definition.configKeys().values().stream())
                    .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .map(key -> key.name)
                    .collect(Collectors.toUnmodifiableSet());

    /** Name fragments that mean "secret" even in keys the clients do not declare (plugins, Streams prefixes). */
    private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "jaas", "token");

    private SecretKeys() {
    }

    /** @param clientKey a Kafka client key, without the projector.kafka. prefix */
    static boolean isSecret(String clientKey) {
        String lower = clientKey.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".key") || SECRET_WORDS.stream().anyMatch(lower::contains)) {
            return true;
        }
        // Streams accepts client keys behind prefixes such as producer. or main.consumer., so test every suffix.
        for (String suffix = clientKey; ; suffix = suffix.substring(suffix.indexOf('.') + 1)) {
            if (KAFKA_PASSWORD_KEYS.contains(suffix)) {
                return true;
            }
            if (suffix.indexOf('.') < 0) {
                return false;
            }
        }
    }
}
