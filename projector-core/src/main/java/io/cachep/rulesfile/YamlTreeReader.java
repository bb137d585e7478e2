package io.cachep.rulesfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads one YAML document into a {@link YamlNode} tree with positions, reporting duplicate keys as problems. */
final class YamlTreeReader {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTreeReader() {}

    /**
     * @param problems receives "line:column: message" strings for duplicate keys
     * @throws IOException for YAML syntax errors, with Jackson's location in the message
     */
    static YamlNode read(String text, Consumer<String> problems) throws IOException {
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.Scalar(new YamlNode.Position(1, 1), null, true);
            }
            return readValue(parser, problems);
        }
    }

    private static YamlNode readValue(JsonParser parser, Consumer<String> problems) throws IOException {
        YamlNode.Position position = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            LinkedHashMap<String, YamlNode> values = new LinkedHashMap<>();
            Map<String, YamlNode.Position> keyPositions = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                YamlNode.Position keyPosition = position(parser.currentTokenLocation());
                parser.nextToken();
                YamlNode value = readValue(parser, problems);
                if (values.containsKey(name)) {
                    problems.accept(keyPosition.line() + ":" + keyPosition.column() + ": duplicate key '" + name
                            + "' (first at line " + keyPositions.get(name).line() + ")");
                    continue;
                }
                values.put(name, value);
                keyPositions.put(name, keyPosition);
            }
            return new YamlNode.Mapping(position, values, keyPositions);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(parser, problems));
            }
            return new YamlNode.Sequence(position, items);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new YamlNode.Scalar(position, null, true);
        }
        return new YamlNode.Scalar(position, parser.getText(), false);
    }

    private static YamlNode.Position position(JsonLocation location) {
        return new YamlNode.Position(location.getLineNr(), location.getColumnNr());
    }
}
