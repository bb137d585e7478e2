package io.cachep.topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a directory of topic specs, one YAML file per topic, in file-name order:
 *
 * <pre>
 * name: session-events
 * partitions: 6
 * replication-factor: 1
 * configs:
 *   cleanup.policy: delete
 *   retention.ms: "604800000"
 * </pre>
 *
 * The fields are read by hand rather than bound by Jackson so that one pass reports every problem in every file
 * (binding stops at the first), each naming the file and the field.
 */
public final class TopicSpecLoader {

    static final String NAME = "name";
    static final String PARTITIONS = "partitions";
    static final String REPLICATION_FACTOR = "replication-factor";
    static final String CONFIGS = "configs";
    private static final Set<String> FIELDS = Set.of(NAME, PARTITIONS, REPLICATION_FACTOR, CONFIGS);

    // Duplicate keys would otherwise silently keep the last value.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TopicSpecLoader() {
    }

    /**
     * @return one spec per *.yaml file in {@code directory}, sorted by file name
     * @throws InvalidTopicSpecException listing every problem in every file
     */
    public static List<TopicSpec> load(Path directory) {
        List<String> problems = new ArrayList<>();
        List<Path> files = listFiles(directory, problems);
        List<TopicSpec> specs = new ArrayList<>();
        Map<String, Path> fileByTopic = new HashMap<>();
        for (Path file : files) {
            readFile(file, problems).ifPresent(spec -> {
                Path earlier = fileByTopic.putIfAbsent(spec.name(), file);
                if (earlier != null) {
                    problems.add(file + ": topic '" + spec.name() + "' is already defined in " + earlier);
                } else {
                    specs.add(spec);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidTopicSpecException(problems);
        }
        return List.copyOf(specs);
    }

    private static List<Path> listFiles(Path directory, List<String> problems) {
        if (!Files.isDirectory(directory)) {
            problems.add("topic spec directory " + directory.toAbsolutePath() + " does not exist or is not a directory");
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.sorted().forEach(entry -> {
                String fileName = entry.getFileName().toString();
                if (fileName.endsWith(".yaml")) {
                    files.add(entry);
                } else if (fileName.endsWith(".yml")) {
                    // Reported rather than skipped: a topic silently missing from production is worse than a rename.
                    problems.add(entry + ": topic specs must end in .yaml; rename it so it is not skipped");
                }
            });
        } catch (IOException e) {
            problems.add("topic spec directory " + directory + " cannot be listed: " + e);
        }
        if (files.isEmpty() && problems.isEmpty()) {
            problems.add("topic spec directory " + directory.toAbsolutePath() + " has no *.yaml files");
        }
        return files;
    }

    private static Optional<TopicSpec> readFile(Path file, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            problems.add(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(file + ": cannot be read: " + e);
            return Optional.empty();
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add(file + ": is empty; expected the fields " + NAME + ", " + PARTITIONS + ", "
                    + REPLICATION_FACTOR + " and optionally " + CONFIGS);
            return Optional.empty();
        }
        if (!root.isObject()) {
            problems.add(file + ": expected a mapping with the fields " + NAME + ", " + PARTITIONS + ", "
                    + REPLICATION_FACTOR + ", " + CONFIGS);
            return Optional.empty();
        }

        int before = problems.size();
        root.properties().forEach(property -> {
            String field = property.getKey();
            if (!FIELDS.contains(field)) {
                problems.add(file + ": unknown field '" + field + "'; the fields are " + NAME + ", " + PARTITIONS
                        + ", " + REPLICATION_FACTOR + ", " + CONFIGS);
            }
        });
        String name = readName(file, root.get(NAME), problems);
        int partitions = readWholeNumber(file, PARTITIONS, root.get(PARTITIONS), Integer.MAX_VALUE, problems);
        int replicationFactor = readWholeNumber(file, REPLICATION_FACTOR, root.get(REPLICATION_FACTOR),
                Short.MAX_VALUE, problems);
        Map<String, String> configs = readConfigs(file, root.get(CONFIGS), problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new TopicSpec(name, partitions, (short) replicationFactor, configs));
    }

    private static String readName(Path file, JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add(file + ": missing field '" + NAME + "'");
            return null;
        }
        if (!node.isTextual() || !TopicNames.isValid(node.asText())) {
            problems.add(file + ": field '" + NAME + "' must be a topic name of " + TopicNames.RULE + ", not "
                    + node);
            return null;
        }
        return node.asText();
    }

    private static int readWholeNumber(Path file, String field, JsonNode node, int max, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add(file + ": missing field '" + field + "'");
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1 || node.intValue() > max) {
            problems.add(file + ": field '" + field + "' must be a whole number from 1 to " + max + ", not " + node);
            return 0;
        }
        return node.intValue();
    }

    private static Map<String, String> readConfigs(Path file, JsonNode node, List<String> problems) {
        Map<String, String> configs = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return configs;
        }
        if (!node.isObject()) {
            problems.add(file + ": field '" + CONFIGS + "' must be a mapping of topic config names to values");
            return configs;
        }
        node.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isValueNode() && !value.isNull()) {
                configs.put(entry.getKey(), value.asText());
            } else {
                problems.add(file + ": field '" + CONFIGS + "." + entry.getKey()
                        + "' must be a single value such as delete or \"604800000\"");
            }
        });
        return configs;
    }
}
