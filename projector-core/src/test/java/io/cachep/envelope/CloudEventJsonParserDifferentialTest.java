package io.cachep.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.errors.PoisonEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming parser must accept, refuse and read every structured event exactly as reading the whole JSON tree
 * first did (the reference below): the same envelope, the same data maps and number types, the same {@code {data}}
 * text, and for poison the same reason and message. Random events, valid and broken in the ways producers break them.
 */
class CloudEventJsonParserDifferentialTest {
    private static final int EVENTS = 20_000;
    private final CloudEventJsonParser parser = new CloudEventJsonParser();

    @Test
    void shouldReadEveryEventAsReadingTheWholeTreeFirstDid() {
        long seed = Long.getLong("cachep.model.seed", 20261202L);
        Random random = new Random(seed);
        for (int i = 0; i < EVENTS; i++) {
            String json = event(random);
            byte[] key = random.nextInt(10) == 0 ? "other".getBytes(StandardCharsets.UTF_8) : "s-1".getBytes(StandardCharsets.UTF_8);
            byte[] value = json.getBytes(StandardCharsets.UTF_8);
            String expected = outcome(() -> reference(key, value));
            String actual = outcome(() -> parser.parse(key, value));
            assertThat(actual).as("seed %d, event %d: %s", seed, i, json).isEqualTo(expected);
        }
    }

    private static String outcome(java.util.function.Supplier<EventEnvelope> parse) {
        try {
            EventEnvelope e = parse.get();
            return e + " data=" + classes(e.data()) + " json=" + e.dataJson();
        } catch (PoisonEventException poison) {
            return "poison " + poison.reason() + ": " + poison.getMessage();
        }
    }

    /** The parser as it was: the whole tree first, then the checks, then the data converted from the tree. */
    private static EventEnvelope reference(byte[] key, byte[] value) {
        if (value.length == 0) {
            throw new PoisonEventException(io.cachep.errors.PoisonReason.UNDECODABLE, "record value is empty");
        }
        JsonNode root;
        try {
            root = CloudEventAttributes.MAPPER.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PoisonEventException(io.cachep.errors.PoisonReason.UNDECODABLE,
                    "record value is not JSON (syntax error at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoisonEventException(io.cachep.errors.PoisonReason.UNDECODABLE, "record value cannot be read as JSON", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new PoisonEventException(io.cachep.errors.PoisonReason.UNDECODABLE, "record value holds no JSON");
        }
        if (!root.isObject()) {
            throw new PoisonEventException(io.cachep.errors.PoisonReason.BAD_ENVELOPE,
                    "record value is a JSON " + root.getNodeType().name().toLowerCase() + ", not a CloudEvents object");
        }
        CloudEventAttributes.Source attributes = root::get;
        return CloudEventAttributes.check(attributes, key).withData(attributes, root.get("data"));
    }

    private static String event(Random random) {
        List<String> members = new ArrayList<>(List.of(
                "\"specversion\":\"1.0\"", "\"id\":\"e-" + random.nextInt(1000) + "\"", "\"type\":\"com.example.t\"",
                "\"source\":\"/test\"", "\"subject\":\"s-1\"", "\"time\":\"2026-11-23T10:00:00.123+01:00\"",
                "\"entityversion\":" + (random.nextBoolean() ? random.nextInt(100) : "\"" + random.nextInt(100) + "\"")));
        if (random.nextInt(4) > 0) {
            members.add("\"data\":" + (random.nextInt(20) == 0 ? value(random, 2) : object(random, 3)));
        }
        if (random.nextInt(5) == 0) {
            members.add("\"ext\":" + value(random, 2)); // an extension attribute: any JSON value
        }
        java.util.Collections.shuffle(members, random);
        switch (random.nextInt(16)) {
            case 0 -> members.remove(random.nextInt(members.size())); // a missing attribute
            case 1 -> members.add(members.get(random.nextInt(members.size()))); // a duplicate member
            case 2 -> members.set(random.nextInt(members.size()), "\"time\":" + value(random, 1)); // a wrong type
            case 3 -> members.set(random.nextInt(members.size()), "\"entityversion\":" + value(random, 1));
            case 4 -> members.set(random.nextInt(members.size()), "\"id\":" + value(random, 1));
            default -> { }
        }
        String json = "{" + String.join(random.nextInt(3) == 0 ? " , " : ",", members) + "}";
        return switch (random.nextInt(40)) {
            case 0 -> json.substring(0, random.nextInt(json.length())); // cut short
            case 1 -> json + " trailing";
            case 2 -> value(random, 2); // not an object
            case 3 -> "  ";
            case 4 -> json.replaceFirst(":", ": oops ");
            default -> json;
        };
    }

    private static String object(Random random, int depth) {
        int n = random.nextInt(6);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add("\"" + name(random) + "\":" + value(random, depth - 1));
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String value(Random random, int depth) {
        int choice = random.nextInt(depth > 0 ? 14 : 11);
        return switch (choice) {
            case 0 -> "\"" + name(random) + "\"";
            case 1 -> "\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\n\\t/\\\\\"";
            case 2 -> "\"é€😀\"";
            case 3 -> Integer.toString(random.nextInt());
            case 4 -> Long.toString(random.nextLong());
            case 5 -> "123456789012345678901234567890";
            case 6 -> Double.toString(random.nextDouble() * 1e6);
            case 7 -> random.nextBoolean() ? "1e20" : "-0.0";
            case 8 -> random.nextBoolean() ? "true" : "false";
            case 9 -> "null";
            case 10 -> "2.5E-7";
            case 11, 12 -> object(random, depth);
            default -> {
                List<String> elements = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    elements.add(value(random, depth - 1));
                }
                yield "[" + String.join(",", elements) + "]";
            }
        };
    }

    private static String name(Random random) {
        String[] names = {"userId", "device", "n", "a", "b", "nested", "ü", "x y", ""};
        return names[random.nextInt(names.length)];
    }

    private static String classes(Object value) {
        if (value instanceof java.util.Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(k).append('=').append(classes(v)).append(','));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(classes(v)).append(','));
            return out.append(']').toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
