package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads CloudEvents 1.0 structured-mode JSON into an {@link EventEnvelope}.
 *
 * <p>Required: {@code specversion} "1.0", {@code id}, {@code type}, {@code source}, {@code subject},
 * {@code time} (RFC 3339) and the extension {@code entityversion} (a non-negative integer, as a JSON number or a
 * numeric string, since CloudEvents extensions are often carried as strings). {@code data} is optional and must be
 * an object when present. A record key, when present, must equal the subject: otherwise the entity's events could be
 * spread over partitions and lose their order. The attribute checks are {@link CloudEventAttributes}, shared with
 * binary mode.
 *
 * <p>The record is read in one streaming pass: the attributes as small JSON nodes for the shared checks, the
 * {@code data} object straight into the maps the rules read ({@link JsonValues#readObject}), with no JSON tree of the
 * whole event in between (building that tree, then converting it, was a third of the projector's CPU per event). The
 * whole record is read before any check, so a syntax error anywhere in it is reported as one, as before.
 *
 * <p>Every failure is a {@link PoisonEventException} whose message names the attribute, never its value.
 */
public final class CloudEventJsonParser {

    public EventEnvelope parse(byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value is empty");
        }
        Fields fields = read(value);
        CloudEventAttributes.Source attributes = fields.attributes::get;
        CloudEventAttributes.Checked event = CloudEventAttributes.check(attributes, key);
        return fields.data != null
                ? event.withData(fields.data)
                : event.withData(attributes, fields.attributes.get("data"));
    }

    /** The top-level members: {@code data} as maps when it is an object, every other member as a node. */
    private record Fields(Map<String, JsonNode> attributes, Map<String, Object> data) {}

    private static Fields read(byte[] value) {
        try (JsonParser parser = CloudEventAttributes.MAPPER.createParser(value)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value holds no JSON");
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren(); // a syntax error inside it is reported as one
                throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                        "record value is a JSON " + kind(first) + ", not a CloudEvents object");
            }
            Map<String, JsonNode> attributes = new HashMap<>(16);
            Map<String, Object> data = null;
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.START_OBJECT && name.equals("data")) {
                    data = JsonValues.readObject(parser);
                } else {
                    attributes.put(name, attribute(parser, token));
                }
            }
            return new Fields(attributes, data);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE,
                    // Only the position: Jackson's own text can quote a piece of the payload.
                    "record value is not JSON (syntax error at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value cannot be read as JSON", e);
        }
    }

    /**
     * An attribute's value as the node reading the tree would have made: strings and integers (nearly every attribute)
     * directly, anything else through the mapper, whose per-call set-up costs more than the rest of the event's parsing.
     */
    private static JsonNode attribute(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_TRUE, VALUE_FALSE -> BooleanNode.valueOf(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NullNode.getInstance();
            default -> parser.readValueAsTree();
        };
    }

    /** The JSON type of a value that starts with this token, as messages name it. */
    private static String kind(JsonToken first) {
        return switch (first) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "value";
        };
    }
}
