package io.cachep.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree as plain Java values, the same ones Jackson's {@code convertValue(node, Map.class)} gives (ordered maps,
 * lists, strings, booleans, nulls, and numbers as Integer, Long, BigInteger or Double by their size), walked
 * directly instead of through Jackson's token buffer, which cost a sixth of the projector's parsing time.
 */
final class JsonValues {
    private JsonValues() {}

    static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), toValue(field.getValue()));
        }
        return map;
    }

    private static Object toValue(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> toMap(node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toValue(element)));
                yield list;
            }
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }
}
