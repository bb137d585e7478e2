package io.cachep.rulesfile;

import io.cachep.rules.Template;
import io.cachep.text.DidYouMean;
import io.cachep.text.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads typed fields out of a {@link YamlNode} tree and collects every problem as
 * {@code file:line:column: where: what}, so a whole rules file is checked in one pass.
 */
final class YamlFields {
    private final String fileName;
    private final List<String> problems = new ArrayList<>();

    YamlFields(String fileName) {
        this.fileName = fileName;
    }

    List<String> problems() {
        return problems;
    }

    void problem(YamlNode node, String where, String message) {
        problems.add(at(node.position()) + where + ": " + message);
    }

    void problemAt(YamlNode.Position position, String where, String message) {
        problems.add(at(position) + where + ": " + message);
    }

    void rawProblem(String lineColumnMessage) {
        problems.add(fileName + ":" + lineColumnMessage);
    }

    YamlNode.Mapping mapping(YamlNode node, String where) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        problem(node, where, "expected a mapping (field: value), found " + node.kind());
        return null;
    }

    void checkFields(YamlNode.Mapping map, Set<String> known, String where) {
        for (String field : map.values().keySet()) {
            if (!known.contains(field)) {
                problemAt(map.keyPositions().get(field), where, "unknown field '" + field + "'"
                        + DidYouMean.suffix(field, known));
            }
        }
    }

    String requiredString(YamlNode.Mapping map, String field, String where) {
        if (!map.values().containsKey(field)) {
            problem(map, where, "missing field '" + field + "'");
            return null;
        }
        return optionalString(map, field, where);
    }

    String optionalString(YamlNode.Mapping map, String field, String where) {
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

    Boolean optionalBoolean(YamlNode.Mapping map, String field, String where) {
        YamlNode node = map.values().get(field);
        if (node == null) {
            return null;
        }
        if (node instanceof YamlNode.Scalar s && ("true".equals(s.text()) || "false".equals(s.text()))) {
            return Boolean.valueOf(s.text());
        }
        problem(node, where + ", field '" + field + "'", "expected true or false, found " + node.kind());
        return null;
    }

    Template template(YamlNode node, String where) {
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

    Template optionalTemplate(YamlNode.Mapping map, String field, String where) {
        YamlNode node = map.values().get(field);
        return node == null ? null : template(node, where + ", field '" + field + "'");
    }

    Template requiredTemplate(YamlNode.Mapping map, String field, String where) {
        if (!map.values().containsKey(field)) {
            problem(map, where, "missing field '" + field + "'");
            return null;
        }
        return optionalTemplate(map, field, where);
    }

    Duration duration(YamlNode.Mapping map, String field, String where) {
        YamlNode node = map.values().get(field);
        if (node == null) {
            return null;
        }
        String at = where + ", field '" + field + "'";
        if (!(node instanceof YamlNode.Scalar s) || s.isNull()) {
            problem(node, at, "expected a duration such as 30m, found " + node.kind());
            return null;
        }
        try {
            Duration d = DurationText.parse(s.text());
            if (d.isZero()) {
                problem(node, at, "must be longer than zero");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(node, at, e.getMessage());
            return null;
        }
    }

    private String at(YamlNode.Position p) {
        return fileName + ":" + p.line() + ":" + p.column() + ": ";
    }
}
