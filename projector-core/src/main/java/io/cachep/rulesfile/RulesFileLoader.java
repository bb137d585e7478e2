package io.cachep.rulesfile;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.MutationTemplate;
import io.cachep.rules.ProjectionRule;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.spi.CustomRules;
import io.cachep.text.DidYouMean;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a projection rules file (YAML) and checks all of it before anything touches Kafka or Redis. Every problem is
 * collected, each naming file, line, column, rule, mutation and field:
 * {@code rules.yaml:14:9: rule 'session-started', mutation 1 (upsert): unknown field 'hsh', did you mean 'hash'?}
 */
public final class RulesFileLoader {
    static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofHours(24);

    private static final Set<String> TOP_FIELDS = Set.of("namespace", "tombstone-retention", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("name", "topic", "type", "on-tombstone", "mutations", "custom");

    private final String fileName;
    private final CustomRules customRules;
    private final YamlFields yaml;
    private final MutationReader mutations;

    private RulesFileLoader(String fileName, CustomRules customRules) {
        this.fileName = fileName;
        this.customRules = customRules;
        this.yaml = new YamlFields(fileName);
        this.mutations = new MutationReader(yaml);
    }

    /** Loads a file; custom rules are those registered on the class path. */
    public static ProjectionRules load(Path file) {
        return load(file, CustomRules.discover());
    }

    public static ProjectionRules load(Path file, CustomRules customRules) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRulesException(file.toString(), List.of(file + ": cannot be read (" + e + ")"));
        }
        return parse(file.toString(), text, customRules);
    }

    /** Parses rules text; {@code fileName} is only used in messages. */
    public static ProjectionRules parse(String fileName, String text) {
        return parse(fileName, text, CustomRules.discover());
    }

    public static ProjectionRules parse(String fileName, String text, CustomRules customRules) {
        return new RulesFileLoader(fileName, customRules).read(text);
    }

    private ProjectionRules read(String text) {
        YamlNode root;
        try {
            root = YamlTreeReader.read(text, yaml::rawProblem);
        } catch (IOException e) {
            throw new InvalidRulesException(fileName, List.of(fileName + ": not valid YAML: " + e.getMessage()));
        }
        YamlNode.Mapping top = yaml.mapping(root, "the file");
        if (top == null) {
            throw new InvalidRulesException(fileName, yaml.problems());
        }
        yaml.checkFields(top, TOP_FIELDS, "top level");
        String namespace = yaml.requiredString(top, "namespace", "top level");
        if (namespace != null && !KeyLayout.NAMESPACE.matcher(namespace).matches()) {
            yaml.problem(top.values().get("namespace"), "top level", "namespace '" + namespace + "' must match "
                    + KeyLayout.NAMESPACE.pattern());
        }
        Duration retention = yaml.duration(top, "tombstone-retention", "top level");
        List<ProjectionRule> rules = readRules(top);
        mutations.checkTaggedKeys();
        if (!yaml.problems().isEmpty()) {
            throw new InvalidRulesException(fileName, yaml.problems());
        }
        return new ProjectionRules(namespace, retention == null ? DEFAULT_TOMBSTONE_RETENTION : retention, rules,
                customRules);
    }

    private List<ProjectionRule> readRules(YamlNode.Mapping top) {
        YamlNode node = top.values().get("rules");
        List<ProjectionRule> rules = new ArrayList<>();
        if (node == null) {
            yaml.problem(top, "top level", "missing field 'rules'");
            return rules;
        }
        if (!(node instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            yaml.problem(node, "top level", "'rules' must be a non-empty list, found " + node.kind());
            return rules;
        }
        Map<String, YamlNode.Position> names = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode.Mapping rule = yaml.mapping(list.items().get(i), "rule " + (i + 1));
            if (rule == null) {
                continue;
            }
            ProjectionRule read = readRule(rule, "rule " + (i + 1), names);
            if (read != null) {
                rules.add(read);
            }
        }
        return rules;
    }

    private ProjectionRule readRule(YamlNode.Mapping rule, String where, Map<String, YamlNode.Position> names) {
        String name = yaml.requiredString(rule, "name", where);
        if (name != null) {
            where = "rule '" + name + "'";
            YamlNode.Position first = names.putIfAbsent(name, rule.position());
            if (first != null) {
                yaml.problem(rule.values().get("name"), where, "duplicate rule name (first at line " + first.line() + ")");
            }
        }
        yaml.checkFields(rule, RULE_FIELDS, where);
        String topic = yaml.requiredString(rule, "topic", where);
        boolean onTombstone = Boolean.TRUE.equals(yaml.optionalBoolean(rule, "on-tombstone", where));
        String type;
        if (onTombstone) {
            if (rule.values().containsKey("type")) {
                yaml.problem(rule.values().get("type"), where, "an on-tombstone rule matches Kafka tombstones, which"
                        + " have no type: remove 'type'");
            }
            type = ProjectionRule.TOMBSTONE_TYPE;
        } else {
            type = yaml.requiredString(rule, "type", where);
        }
        String custom = yaml.optionalString(rule, "custom", where);
        List<MutationTemplate> templates = List.of();
        if (custom != null) {
            if (rule.values().containsKey("mutations")) {
                yaml.problem(rule.values().get("mutations"), where, "a rule has 'mutations' or 'custom', not both");
            }
            if (!customRules.names().contains(custom)) {
                yaml.problem(rule.values().get("custom"), where + ", field 'custom'", "no custom rule named '" + custom
                        + "' is registered" + DidYouMean.suffix(custom, customRules.names())
                        + " (known: " + customRules.names() + ")");
            }
        } else {
            templates = readMutations(rule, where, onTombstone);
        }
        if (name == null || topic == null || type == null) {
            return null;
        }
        return new ProjectionRule(name, topic, type, templates, custom);
    }

    private List<MutationTemplate> readMutations(YamlNode.Mapping rule, String where, boolean onTombstone) {
        List<MutationTemplate> result = new ArrayList<>();
        YamlNode node = rule.values().get("mutations");
        if (node == null) {
            yaml.problem(rule, where, "a rule needs at least one mutation: missing field 'mutations' (or 'custom')");
            return result;
        }
        if (!(node instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            yaml.problem(node, where, "a rule needs at least one mutation: 'mutations' must be a non-empty list");
            return result;
        }
        for (int i = 0; i < list.items().size(); i++) {
            MutationTemplate m = mutations.read(list.items().get(i), where + ", mutation " + (i + 1), onTombstone);
            if (m != null) {
                result.add(m);
            }
        }
        return result;
    }
}
