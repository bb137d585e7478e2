package io.cachep.rules;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.util.List;
import java.util.Map;

/** Resolves a path such as {@code data.profile} to the object at it, for {@code hash-from}. */
final class DataPaths {
    private DataPaths() {}

    /** @param path starting with {@code data}, e.g. {@code [data]} or {@code [data, profile]} */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(EventEnvelope event, List<String> path) {
        Object current = event.data();
        for (String segment : path.subList(1, path.size())) {
            current = current instanceof Map<?, ?> map ? map.get(segment) : null;
        }
        if (!(current instanceof Map<?, ?>)) {
            throw new PoisonEventException(PoisonReason.TEMPLATE_FIELD_MISSING,
                    "hash-from '" + String.join(".", path) + "' is not an object in " + event.describe());
        }
        return (Map<String, Object>) current;
    }
}
