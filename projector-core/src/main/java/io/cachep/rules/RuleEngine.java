package io.cachep.rules;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an event into the mutations its rules ask for. Pure: envelope in, mutations out; no I/O, no clock.
 * Several rules may match one topic and type: their mutations are concatenated in file order.
 */
public final class RuleEngine {
    private final ProjectionRules rules;
    private final KeyLayout layout;
    private final Map<String, List<ProjectionRule>> byTopicAndType = new HashMap<>();

    public RuleEngine(ProjectionRules rules) {
        this.rules = rules;
        this.layout = new KeyLayout(rules.namespace());
        for (ProjectionRule rule : rules.rules()) {
            byTopicAndType.computeIfAbsent(rule.topic() + '\u0000' + rule.type(), k -> new ArrayList<>()).add(rule);
        }
    }

    public ProjectionRules rules() {
        return rules;
    }

    public KeyLayout layout() {
        return layout;
    }

    /**
     * The mutations of one event read from {@code topic}.
     *
     * @throws PoisonEventException when no rule matches, or a template cannot be rendered from the event
     */
    public List<Mutation> project(String topic, EventEnvelope event) {
        List<ProjectionRule> matching = byTopicAndType.get(topic + '\u0000' + event.type());
        if (matching == null) {
            throw new PoisonEventException(PoisonReason.UNKNOWN_TYPE,
                    "no rule for type '" + event.type() + "' on topic '" + topic + "' (" + event.describe() + ")");
        }
        List<Mutation> mutations = new ArrayList<>();
        for (ProjectionRule rule : matching) {
            for (int i = 0; i < rule.mutations().size(); i++) {
                MutationTemplate template = rule.mutations().get(i);
                try {
                    mutations.add(render(rule, template, event));
                } catch (PoisonEventException e) {
                    throw new PoisonEventException(e.reason(), "rule '" + rule.name() + "', mutation " + (i + 1) + " ("
                            + template.operation() + "): " + e.getMessage(), rule.name(), e);
                }
            }
        }
        return mutations;
    }

    private Mutation render(ProjectionRule rule, MutationTemplate template, EventEnvelope event) {
        EntryKey key = layout.entry(template.key().renderKey(event));
        if (template instanceof MutationTemplate.UpsertTemplate u) {
            return new Mutation.Upsert(rule.name(), key,
                    u.hash() == null ? null : renderHash(u.hash(), event),
                    u.json() == null ? null : u.json().renderValue(event),
                    expireAt(u, event));
        }
        MutationTemplate.DeleteTemplate d = (MutationTemplate.DeleteTemplate) template;
        return new Mutation.Delete(rule.name(), key, d.channel());
    }

    private static Map<String, String> renderHash(Map<String, Template> fields, EventEnvelope event) {
        Map<String, String> hash = new LinkedHashMap<>();
        fields.forEach((field, value) -> hash.put(field, value.renderValue(event)));
        return hash;
    }

    private static long expireAt(MutationTemplate.UpsertTemplate upsert, EventEnvelope event) {
        if (upsert.ttl() != null) {
            return event.time().plus(upsert.ttl()).toEpochMilli();
        }
        if (upsert.expiresAt() != null) {
            return parseInstantMillis(upsert.expiresAt().renderValue(event), upsert.expiresAt().source());
        }
        return Mutation.NO_EXPIRY;
    }

    private static long parseInstantMillis(String text, String template) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notMillis) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new PoisonEventException(PoisonReason.TEMPLATE_FIELD_MISSING,
                        "expires-at '" + template + "' renders neither epoch millis nor an RFC 3339 timestamp");
            }
        }
    }
}
