package io.cachep.rules;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A string with {@code {placeholder}} parts, rendered from one event.
 *
 * <p>Placeholders: {@code {subject}}, {@code {id}}, {@code {type}}, {@code {source}}, {@code {time}} (the event time
 * as an ISO-8601 instant), {@code {data}} (the whole data object as JSON) and {@code {data.a.b}} (a field of data).
 * In a key, a placeholder renders inside braces ({@code session:{subject}} becomes {@code session:{s-17}}), which
 * makes the entity id a Redis Cluster hash tag; in a value it renders bare.
 */
public final class Template {
    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Parses a template, or throws {@link IllegalArgumentException} naming the first problem. */
    public static Template parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            int strayClose = text.indexOf('}', i);
            if (strayClose >= 0 && (open < 0 || strayClose < open)) {
                throw new IllegalArgumentException("'}' at position " + (strayClose + 1) + " closes no placeholder");
            }
            if (open < 0) {
                parts.add(new Literal(text.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(text.substring(i, open)));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'{' at position " + (open + 1) + " is never closed");
            }
            parts.add(Placeholder.parse(text.substring(open + 1, close)));
            i = close + 1;
        }
        return new Template(text, parts);
    }

    public boolean hasPlaceholder() {
        return parts.stream().anyMatch(p -> p instanceof Placeholder);
    }

    /** True when a placeholder reads the event's data, which a Kafka tombstone does not have. */
    public boolean referencesData() {
        return parts.stream().anyMatch(p -> p instanceof Placeholder ph && ph.path().startsWith("data"));
    }

    /** True when the template is exactly one placeholder, e.g. {@code "{data.score}"}. */
    public boolean isSinglePlaceholder() {
        return parts.size() == 1 && parts.get(0) instanceof Placeholder;
    }

    public String source() {
        return source;
    }

    /** Renders as a value: placeholders bare. */
    public String renderValue(EventEnvelope event) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part instanceof Placeholder p ? p.render(event) : ((Literal) part).text());
        }
        return out.toString();
    }

    /** Renders as a key: every placeholder inside braces, so it forms a hash tag. */
    public String renderKey(EventEnvelope event) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Placeholder p) {
                String value = p.render(event);
                if (value.isEmpty() || value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
                    throw new PoisonEventException(PoisonReason.TEMPLATE_FIELD_MISSING, "placeholder {" + p.path()
                            + "} of key template '" + source + "' renders empty or with braces, which a key cannot hold");
                }
                out.append('{').append(value).append('}');
            } else {
                out.append(((Literal) part).text());
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    private sealed interface Part permits Literal, Placeholder {}

    private record Literal(String text) implements Part {}

    private record Placeholder(String path, List<String> dataPath) implements Part {
        private static final List<String> ATTRIBUTES = List.of("subject", "id", "type", "source", "time", "data");

        static Placeholder parse(String path) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("empty placeholder {}");
            }
            if (path.startsWith("data.")) {
                List<String> segments = List.of(path.substring("data.".length()).split("\\.", -1));
                if (segments.stream().anyMatch(String::isEmpty)) {
                    throw new IllegalArgumentException("placeholder {" + path + "} has an empty field name");
                }
                return new Placeholder(path, segments);
            }
            if (!ATTRIBUTES.contains(path)) {
                throw new IllegalArgumentException("unknown placeholder {" + path + "}; known: {subject}, {id}, {type}, "
                        + "{source}, {time}, {data}, {data.<field>}");
            }
            return new Placeholder(path, List.of());
        }

        String render(EventEnvelope event) {
            return switch (path) {
                case "subject" -> event.subject();
                case "id" -> event.id();
                case "type" -> event.type();
                case "source" -> event.source();
                case "time" -> event.time().toString();
                case "data" -> event.dataJson();
                default -> renderData(event);
            };
        }

        private String renderData(EventEnvelope event) {
            Object current = event.data();
            for (String segment : dataPath) {
                if (!(current instanceof Map<?, ?> map) || map.get(segment) == null) {
                    throw new PoisonEventException(PoisonReason.TEMPLATE_FIELD_MISSING,
                            "template placeholder {" + path + "} names a field that " + event.describe() + " does not have");
                }
                current = map.get(segment);
            }
            return JsonText.scalarOrJson(current);
        }
    }
}
