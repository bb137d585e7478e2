package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, the same ones Jackson's {@code convertValue(node, Map.class)} gives (ordered maps,
 * lists, strings, booleans, nulls, and numbers as Integer, Long, BigInteger or Double by their size): from a tree,
 * walked directly instead of through Jackson's token buffer, or straight from a parser, with no tree at all. And
 * back: {@link #toJson} writes the same text as the tree's {@code toString()}, so an entry written from {@code {data}}
 * is the same text whichever way the event was read.
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

    /** The object whose START_OBJECT the parser is on, read to its END_OBJECT. */
    static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        String name;
        while ((name = parser.nextFieldName()) != null) {
            map.put(name, readValue(parser, parser.nextToken()));
        }
        return map;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, element));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("not the start of a JSON value: " + token);
        };
    }

    /** Compact JSON text of plain values (as {@link #readObject} gives them). */
    static String toJson(Map<String, Object> object) {
        try {
            return CloudEventAttributes.MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("plain JSON values always serialize", e);
        }
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
