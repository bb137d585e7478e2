package io.cachep.rulesfile;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.MutationTemplate;
import io.cachep.rules.ProjectionRule;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.Template;
import io.cachep.text.DidYouMean;
import io.cachep.text.DurationText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    private static final Set<String> RULE_FIELDS = Set.of("name", "topic", "type", "mutations");
    private static final Map<String, Set<String>> OPERATION_FIELDS = Map.of(
            "upsert", Set.of("key", "hash", "json", "ttl", "expires-at"),
            "delete", Set.of("key"),
            "invalidate", Set.of("key", "channel"));
    /** Operations of the rules language that this version cannot apply yet: named so the error says so plainly. */
    private static final Set<String> NOT_YET_AVAILABLE = Set.of(
            "merge", "expire", "set-add", "set-remove", "zset-add", "zset-remove", "invalidate-tag");

    private final String fileName;
    private final List<String> problems = new ArrayList<>();

    private RulesFileLoader(String fileName) {
        this.fileName = fileName;
    }

    public static ProjectionRules load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRulesException(file.toString(), List.of(file + ": cannot be read (" + e + ")"));
        }
        return parse(file.toString(), text);
    }

    /** Parses rules text; {@code fileName} is only used in messages. */
    public static ProjectionRules parse(String fileName, String text) {
        return new RulesFileLoader(fileName).read(text);
    }

    private ProjectionRules read(String text) {
        YamlNode root;
        try {
            root = YamlTreeReader.read(text, p -> problems.add(fileName + ":" + p));
        } catch (IOException e) {
            throw new InvalidRulesException(fileName, List.of(fileName + ": not valid YAML: " + e.getMessage()));
        }
        YamlNode.Mapping top = mapping(root, "the file");
        if (top == null) {
            throw new InvalidRulesException(fileName, problems);
        }
        checkFields(top, TOP_FIELDS, "top level");
        String namespace = requiredString(top, "namespace", "top level");
        if (namespace != null && !KeyLayout.NAMESPACE.matcher(namespace).matches()) {
            problem(top.values().get("namespace"), "top level", "namespace '" + namespace + "' must match "
                    + KeyLayout.NAMESPACE.pattern());
        }
        Duration retention = duration(top, "tombstone-retention", "top level");
        List<ProjectionRule> rules = readRules(top);
        if (!problems.isEmpty()) {
            throw new InvalidRulesException(fileName, problems);
        }
        return new ProjectionRules(namespace, retention == null ? DEFAULT_TOMBSTONE_RETENTION : retention, rules);
    }

    private List<ProjectionRule> readRules(YamlNode.Mapping top) {
        YamlNode node = top.values().get("rules");
        List<ProjectionRule> rules = new ArrayList<>();
        if (node == null) {
            problem(top, "top level", "missing field 'rules'");
            return rules;
        }
        if (!(node instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            problem(node, "top level", "'rules' must be a non-empty list, found " + node.kind());
            return rules;
        }
        Map<String, YamlNode.Position> names = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String where = "rule " + (i + 1);
            YamlNode.Mapping rule = mapping(item, where);
            if (rule == null) {
                continue;
            }
            String name = requiredString(rule, "name", where);
            if (name != null) {
                where = "rule '" + name + "'";
                YamlNode.Position first = names.putIfAbsent(name, rule.position());
                if (first != null) {
                    problem(rule.values().get("name"), where, "duplicate rule name (first at line " + first.line() + ")");
                }
            }
            checkFields(rule, RULE_FIELDS, where);
            String topic = requiredString(rule, "topic", where);
            String type = requiredString(rule, "type", where);
            List<MutationTemplate> mutations = readMutations(rule, where);
            if (name != null && topic != null && type != null) {
                rules.add(new ProjectionRule(name, topic, type, mutations));
            }
        }
        return rules;
    }

    private List<MutationTemplate> readMutations(YamlNode.Mapping rule, String where) {
        List<MutationTemplate> mutations = new ArrayList<>();
        YamlNode node = rule.values().get("mutations");
        if (node == null) {
            problem(rule, where, "a rule needs at least one mutation: missing field 'mutations'");
            return mutations;
        }
        if (!(node instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            problem(node, where, "a rule needs at least one mutation: 'mutations' must be a non-empty list");
            return mutations;
        }
        for (int i = 0; i < list.items().size(); i++) {
            MutationTemplate m = readMutation(list.items().get(i), where + ", mutation " + (i + 1));
            if (m != null) {
                mutations.add(m);
            }
        }
        return mutations;
    }

    private MutationTemplate readMutation(YamlNode node, String where) {
        YamlNode.Mapping wrapper = mapping(node, where);
        if (wrapper == null) {
            return null;
        }
        if (wrapper.values().size() != 1) {
            problem(wrapper, where, "a mutation is one operation such as 'upsert: {...}', found "
                    + wrapper.values().size() + " keys " + wrapper.values().keySet());
            return null;
        }
        String operation = wrapper.values().keySet().iterator().next();
        YamlNode.Position opPosition = wrapper.keyPositions().get(operation);
        if (NOT_YET_AVAILABLE.contains(operation)) {
            problems.add(at(opPosition) + where + ": operation '" + operation + "' is not available in this version");
            return null;
        }
        Set<String> fields = OPERATION_FIELDS.get(operation);
        if (fields == null) {
            List<String> known = new ArrayList<>(OPERATION_FIELDS.keySet());
            known.addAll(NOT_YET_AVAILABLE);
            problems.add(at(opPosition) + where + ": unknown operation '" + operation + "'" + DidYouMean.suffix(operation, known));
            return null;
        }
        where = where + " (" + operation + ")";
        YamlNode.Mapping body = mapping(wrapper.values().get(operation), where);
        if (body == null) {
            return null;
        }
        checkFields(body, fields, where);
        Template key = keyTemplate(body, where);
        switch (operation) {
            case "upsert":
                return readUpsert(body, key, where);
            case "invalidate":
                String channel = optionalString(body, "channel", where);
                return key == null ? null : new MutationTemplate.DeleteTemplate(operation, key, channel);
            default:
                return key == null ? null : new MutationTemplate.DeleteTemplate(operation, key, null);
        }
    }

    private MutationTemplate readUpsert(YamlNode.Mapping body, Template key, String where) {
        YamlNode hashNode = body.values().get("hash");
        YamlNode jsonNode = body.values().get("json");
        if ((hashNode == null) == (jsonNode == null)) {
            problem(body, where, "an upsert writes either 'hash' (fields) or 'json' (one string value): give exactly one");
        }
        Map<String, Template> hash = null;
        if (hashNode != null) {
            YamlNode.Mapping fields = mapping(hashNode, where + ", field 'hash'");
            if (fields != null) {
                hash = new LinkedHashMap<>();
                if (fields.values().isEmpty()) {
                    problem(fields, where, "'hash' needs at least one field");
                }
                for (Map.Entry<String, YamlNode> e : fields.values().entrySet()) {
                    Template t = template(e.getValue(), where + ", hash field '" + e.getKey() + "'");
                    if (t != null) {
                        hash.put(e.getKey(), t);
                    }
                }
            }
        }
        Template json = jsonNode == null ? null : template(jsonNode, where + ", field 'json'");
        Duration ttl = duration(body, "ttl", where);
        YamlNode expiresNode = body.values().get("expires-at");
        Template expiresAt = expiresNode == null ? null : template(expiresNode, where + ", field 'expires-at'");
        if (ttl != null && expiresAt != null) {
            problem(expiresNode, where, "give 'ttl' or 'expires-at', not both");
        }
        if (key == null || (hash == null && json == null)) {
            return null;
        }
        return new MutationTemplate.UpsertTemplate(key, hash, json, ttl, expiresAt);
    }

    private Template keyTemplate(YamlNode.Mapping body, String where) {
        YamlNode node = body.values().get("key");
        if (node == null) {
            problem(body, where, "missing field 'key'");
            return null;
        }
        Template key = template(node, where + ", field 'key'");
        if (key == null) {
            return null;
        }
        if (!key.hasPlaceholder()) {
            problem(node, where + ", field 'key'", "key '" + key.source()
                    + "' has no placeholder: every event would write the same entry (use e.g. {subject})");
            return null;
        }
        if (key.source().charAt(0) == KeyLayout.RESERVED_PREFIX) {
            problem(node, where + ", field 'key'", "keys may not start with '~': cachep keeps its metadata there");
            return null;
        }
        return key;
    }

    private Template template(YamlNode node, String where) {
        if (!(node instanceof YamlNode.Scalar s) || s.isNull()) {
            problem(node, where, "expected a string template, found " + node.kind()
                    + " (quote templates that start with '{', e.g. \"{data.userId}\")");
            return null;
        }
        try {
            return Template.parse(s.text());
        } catch (IllegalArgumentException e) {
            problem(node, where, e.getMessage());
            return null;
        }
    }

    private Duration duration(YamlNode.Mapping map, String field, String where) {
        YamlNode node = map.values().get(field);
        if (node == null) {
            return null;
        }
        if (!(node instanceof YamlNode.Scalar s) || s.isNull()) {
            problem(node, where + ", field '" + field + "'", "expected a duration such as 30m, found " + node.kind());
            return null;
        }
        try {
            Duration d = DurationText.parse(s.text());
            if (d.isZero()) {
                problem(node, where + ", field '" + field + "'", "must be longer than zero");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(node, where + ", field '" + field + "'", e.getMessage());
            return null;
        }
    }

    private String requiredString(YamlNode.Mapping map, String field, String where) {
        if (!map.values().containsKey(field)) {
            problem(map, where, "missing field '" + field + "'");
            return null;
        }
        return optionalString(map, field, where);
    }

    private String optionalString(YamlNode.Mapping map, String field, String where) {
        YamlNode node = map.values().get(field);
        if (node == null) {
            return null;
        }
        if (!(node instanceof YamlNode.Scalar s) || s.isNull() || s.text().isBlank()) {
            problem(node, where + ", field '" + field + "'", "expected a non-empty string, found " + node.kind());
            return null;
        }
        return s.text();
    }

    private YamlNode.Mapping mapping(YamlNode node, String where) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        problem(node, where, "expected a mapping (field: value), found " + node.kind());
        return null;
    }

    private void checkFields(YamlNode.Mapping map, Set<String> known, String where) {
        for (String field : map.values().keySet()) {
            if (!known.contains(field)) {
                problems.add(at(map.keyPositions().get(field)) + where + ": unknown field '" + field + "'"
                        + DidYouMean.suffix(field, known));
            }
        }
    }

    private void problem(YamlNode node, String where, String message) {
        problems.add(at(node.position()) + where + ": " + message);
    }

    private String at(YamlNode.Position p) {
        return fileName + ":" + p.line() + ":" + p.column() + ": ";
    }
}
