package io.cachep.examples;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.Mutation;
import io.cachep.rules.spi.CustomRule;
import io.cachep.rules.spi.RuleContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The demo's custom rule, and a template for yours: writes a user's initials ("Ada Lovelace" → "AL") beside the
 * profile, something a rules file cannot compute. Registered in
 * {@code META-INF/services/io.cachep.rules.spi.CustomRule}; named {@code initials} in {@code rules/demo.yaml}.
 */
public final class InitialsRule implements CustomRule {
    @Override
    public String name() {
        return "initials";
    }

    @Override
    public List<Mutation> project(EventEnvelope event, RuleContext context) {
        Object displayName = event.data().get("displayName");
        if (!(displayName instanceof String name) || name.isBlank()) {
            throw new PoisonEventException(PoisonReason.TEMPLATE_FIELD_MISSING,
                    "data.displayName is missing or not a string in " + event.describe());
        }
        String initials = Arrays.stream(name.trim().split("\\s+"))
                // The first code point, not the first char: a name may start outside the Basic Multilingual Plane.
                .map(word -> new String(Character.toChars(word.codePointAt(0))).toUpperCase(Locale.ROOT))
                .collect(Collectors.joining());
        return List.of(new Mutation.Upsert(context.ruleName(), context.entry("user:{subject}:initials", event),
                null, initials, Mutation.NO_EXPIRY, List.of()));
    }
}
