package io.cachep.config;

import java.util.Locale;
import java.util.Optional;

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
}
