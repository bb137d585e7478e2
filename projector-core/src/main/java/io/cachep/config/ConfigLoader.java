package io.cachep.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.cachep.text.DidYouMean;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds a {@link ProjectorConfig} from, lowest precedence first: the defaults in {@link ProjectorConfig#DEFINITION},
 * a java.util.Properties file, the environment, and command-line overrides.
 *
 * <p>Every key is parsed and validated on its own, because {@code ConfigDef.parse} stops at the first bad key and a
 * person fixing a deployment wants the whole list. Messages name the key and where its value came from and never
 * quote a secret.
 */
public final class ConfigLoader {

    static final String CLI_SOURCE = "--set";
    static final String DEFAULT_SOURCE = "default";

    private final Map<String, String> environment;
    private final Map<String, String> flagsByKey;

    /** @param environment usually {@code System.getenv()}; tests pass their own */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, Map.of());
    }

    /**
     * @param flagsByKey command-line shortcuts, such as projector.rules.file to --rules-file, named in the message
     *                   for a missing required key
     */
    public ConfigLoader(Map<String, String> environment, Map<String, String> flagsByKey) {
        this.environment = Map.copyOf(environment);
        this.flagsByKey = Map.copyOf(flagsByKey);
    }

    /**
     * @param file         the --config properties file, if one was given
     * @param cliOverrides key=value pairs from the command line; they win over everything else
     * @throws InvalidConfigurationException listing every problem found
     */
    public ProjectorConfig load(Optional<Path> file, Map<String, String> cliOverrides) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Setting> settings = new LinkedHashMap<>();

        file.ifPresent(path -> readFile(path, problems).forEach((key, value) ->
                accept(key, value, "config file " + path, settings, warnings)));
        readEnvironment(settings, warnings);
        cliOverrides.forEach((key, value) -> {
            if (value != null) {
                accept(key.trim(), value, CLI_SOURCE, settings, warnings);
            }
        });

        Map<String, Object> originals = new LinkedHashMap<>();
        for (ConfigKey key : ProjectorConfig.DEFINITION.configKeys().values()) {
            validateKey(key, settings.get(key.name), problems).ifPresent(value -> originals.put(key.name, value));
        }
        settings.forEach((key, setting) -> {
            if (isPassThrough(key)) {
                originals.put(key, setting.value());
            }
        });
        if (originals.containsKey(ProjectorConfig.RULES_FILE_CONFIG)) {
            checkRulesFile(settings.get(ProjectorConfig.RULES_FILE_CONFIG), problems);
        }
        new RedisEndpointCheck(key -> key + " (from " + (settings.containsKey(key) ? settings.get(key).source()
                : DEFAULT_SOURCE) + ")").check(settings.keySet(), originals, problems);

        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new ProjectorConfig(originals, warnings);
    }

    private static Map<String, String> readFile(Path path, List<String> problems) {
        Properties properties = new Properties();
        // UTF-8 rather than Properties' ISO-8859-1 default: people edit these files in UTF-8 editors.
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("config file " + path + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return Map.of();
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> entries.put(key.trim(), properties.getProperty(key)));
        return entries;
    }

    private void readEnvironment(Map<String, Setting> settings, List<String> warnings) {
        new TreeMap<>(environment).forEach((variable, value) -> {
            if (!variable.startsWith(EnvironmentNames.PREFIX)) {
                return;
            }
            Optional<String> key = EnvironmentNames.keyFor(variable);
            if (key.isPresent()) {
                settings.put(key.get(), new Setting(value, "environment " + variable));
            } else {
                List<String> known = ProjectorConfig.DEFINITION.configKeys().keySet().stream()
                        .map(EnvironmentNames::forKey).collect(Collectors.toList());
                warnings.add("Unknown environment variable " + variable + " is ignored"
                        + didYouMean(variable, known, EnvironmentNames.KAFKA_PREFIX, "_"));
            }
        });
    }

    private static void accept(String key, String value, String source, Map<String, Setting> settings,
                               List<String> warnings) {
        if (ProjectorConfig.DEFINITION.configKeys().containsKey(key) || isPassThrough(key)) {
            settings.put(key, new Setting(value, source));
        } else if (key.startsWith(ProjectorConfig.PREFIX)) {
            warnings.add("Unknown configuration " + key + " (from " + source + ") is ignored"
                    + didYouMean(key, ProjectorConfig.DEFINITION.configKeys().keySet(), ProjectorConfig.KAFKA_PREFIX,
                            "."));
        } else {
            warnings.add("Configuration " + key + " (from " + source + ") is ignored: projector keys start with "
                    + ProjectorConfig.PREFIX + " and Kafka client keys with " + ProjectorConfig.KAFKA_PREFIX);
        }
    }

    /**
     * Suggests the nearest declared name, or the same name under the pass-through prefix when only the prefix
     * looks misspelt (projector.kafak.linger.ms).
     */
    private static String didYouMean(String typed, Collection<String> declared, String passThroughPrefix,
                                     String separator) {
        List<String> candidates = new ArrayList<>(declared);
        String[] parts = typed.split(Pattern.quote(separator), 3);
        String passThroughWord = passThroughPrefix.split(Pattern.quote(separator))[1];
        if (parts.length == 3 && DidYouMean.distance(parts[1], passThroughWord) <= 2) {
            candidates.add(passThroughPrefix + parts[2]);
        }
        // About one slip per six characters, at least three: catches URL/URI and dropped letters in long keys.
        return DidYouMean.closest(typed, candidates, Math.max(3, typed.length() / 6))
                .map(s -> "; did you mean " + s + "?").orElse("");
    }

    private static boolean isPassThrough(String key) {
        return key.startsWith(ProjectorConfig.KAFKA_PREFIX) && key.length() > ProjectorConfig.KAFKA_PREFIX.length()
                && !ProjectorConfig.DEFINITION.configKeys().containsKey(key);
    }

    /** @return the raw value to hand to ProjectorConfig, empty if unset (default applies) or invalid */
    private Optional<String> validateKey(ConfigKey key, Setting setting, List<String> problems) {
        if (setting == null) {
            if (!key.hasDefault()) {
                problems.add(missing(key.name));
            }
            return Optional.empty();
        }
        try {
            Object parsed = ConfigDef.parseType(key.name, setting.value(), key.type);
            if (key.validator != null) {
                key.validator.ensureValid(key.name, parsed);
            }
            return Optional.of(setting.value());
        } catch (ConfigException e) {
            problems.add(key.type == ConfigDef.Type.PASSWORD
                    ? key.name + " (from " + setting.source() + ") is invalid; the value is secret and not shown"
                    : e.getMessage() + " (from " + setting.source() + ")");
            return Optional.empty();
        }
    }

    private String missing(String key) {
        String flag = flagsByKey.containsKey(key) ? flagsByKey.get(key) + " or " : "";
        return "Missing required configuration " + key + ": set environment variable " + EnvironmentNames.forKey(key)
                + ", flag " + flag + CLI_SOURCE + " " + key + "=VALUE, or " + key + " in the config file";
    }

    private static void checkRulesFile(Setting setting, List<String> problems) {
        String where = ProjectorConfig.RULES_FILE_CONFIG + " (from "
                + (setting == null ? DEFAULT_SOURCE : setting.source()) + ")";
        String value = setting == null ? "" : setting.value().trim();
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            problems.add(where + ": '" + value + "' is not a valid path: " + e.getReason());
            return;
        }
        String shown = path.isAbsolute() ? path.toString() : path + " (resolved to " + path.toAbsolutePath() + ")";
        if (!Files.exists(path)) {
            problems.add(where + ": rules file " + shown + " does not exist");
        } else if (Files.isDirectory(path)) {
            problems.add(where + ": rules file " + shown + " is a directory, not a file");
        } else if (!Files.isReadable(path)) {
            problems.add(where + ": rules file " + shown + " is not readable");
        }
    }

    /** A raw value and where it came from, for messages. */
    private record Setting(String value, String source) {
        @Override
        public String toString() {
            return "Setting[from " + source + "]"; // the value may be a secret
        }
    }
}
