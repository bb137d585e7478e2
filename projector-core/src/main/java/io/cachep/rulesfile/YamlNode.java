package io.cachep.rulesfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line and column, so that each problem in a rules file can
 * be reported where the user has to fix it. (Jackson's own tree drops locations.)
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    Position position();

    /** What the node is, for "expected a mapping, found a list" messages. */
    String kind();

    /** 1-based line and column. */
    record Position(int line, int column) {}

    /** A mapping keeps its keys' order and their positions (an unknown field is reported at its key). */
    record Mapping(Position position, LinkedHashMap<String, YamlNode> values, Map<String, Position> keyPositions)
            implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(Position position, List<YamlNode> items) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar's text; {@code isNull} for YAML null ({@code ~}, {@code null} or nothing). */
    record Scalar(Position position, String text, boolean isNull) implements YamlNode {
        @Override
        public String kind() {
            return isNull ? "nothing" : "a scalar";
        }
    }
}
