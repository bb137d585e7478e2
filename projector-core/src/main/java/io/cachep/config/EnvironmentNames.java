package io.cachep.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mechanical mapping between configuration keys and environment variables: upper case, '.' and '-' become
 * '_'. Pass-through variables map back the only way they can: PROJECTOR_KAFKA_SASL_JAAS_CONFIG is
 * projector.kafka.sasl.jaas.config. (A Kafka key with '_' or '-' in it therefore needs the file or --set.)
 */
public final class EnvironmentNames {

    /** Variables starting with this belong to the projector; unknown ones get a warning. */
    public static final String PREFIX = "PROJECTOR_";

    /** Variables starting with this are pass-through Kafka settings. */
    public static final String KAFKA_PREFIX = forKey(ProjectorConfig.KAFKA_PREFIX);

    private EnvironmentNames() {
    }

    /** projector.redis.uri becomes PROJECTOR_REDIS_URI. */
    public static String forKey(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key a variable sets, if it is a declared key's variable or a PROJECTOR_KAFKA_* pass-through. */
    public static Optional<String> keyFor(String variable) {
        for (String key : ProjectorConfig.DEFINITION.configKeys().keySet()) {
            if (forKey(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        if (variable.startsWith(KAFKA_PREFIX) && variable.length() > KAFKA_PREFIX.length()) {
            String clientKey = variable.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            return Optional.of(ProjectorConfig.KAFKA_PREFIX + clientKey);
        }
        return Optional.empty();
    }

    /**
     * The Kafka client settings that {@code PROJECTOR_KAFKA_*} variables give, keys without the prefix
     * (PROJECTOR_KAFKA_SASL_JAAS_CONFIG is sasl.jaas.config): for a tool that talks to Kafka as the projector does
     * but reads no projector configuration (producer-demo). Values hold secrets; never log the map.
     */
    public static Map<String, Object> kafkaClientProperties(Map<String, String> environment) {
        Map<String, Object> properties = new TreeMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(KAFKA_PREFIX)) {
                keyFor(variable).ifPresent(key -> properties.put(key.substring(ProjectorConfig.KAFKA_PREFIX.length()), value));
            }
        });
        return Collections.unmodifiableMap(properties);
    }
}
