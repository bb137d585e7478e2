package io.cachep.rules;

import io.cachep.envelope.EntityTombstone;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.MutationTemplate.WriteOptions;
import io.cachep.rules.spi.RuleContext;
import java.time.Duration;
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
        this(rules, new KeyLayout(rules.namespace()));
    }

    /** An engine that renders keys under {@code layout} instead of the rules' namespace (rebuild's shadow). */
    public RuleEngine(ProjectionRules rules, KeyLayout layout) {
        this.rules = rules;
        this.layout = layout;
        for (ProjectionRule rule : rules.rules()) {
            byTopicAndType.computeIfAbsent(rule.topic() + '\u0000' + rule.type(), k -> new ArrayList<>()).add(rule);
        }
    }

    /**
     * A Kafka tombstone as an event of type {@link ProjectionRule#TOMBSTONE_TYPE}, so the topic's on-tombstone rules
     * match it like any other type. It has no data.
     */
    public static EventEnvelope tombstoneEvent(EntityTombstone tombstone) {
        return new EventEnvelope(tombstone.id(), ProjectionRule.TOMBSTONE_TYPE, "kafka", tombstone.subject(),
                tombstone.time(), tombstone.entityVersion(), Map.of(), "{}");
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
            if (rule.isCustom()) {
                mutations.addAll(projectCustom(rule, event));
                continue;
            }
            for (int i = 0; i < rule.mutations().size(); i++) {
                MutationTemplate template = rule.mutations().get(i);
                try {
                    mutations.add(render(rule, template, event));
                } catch (PoisonEventException e) {
                    throw new PoisonEventException(e.reason(), "rule '" + rule.name() + "', mutation " + (i + 1) + " ("
                            + template.operation().ruleName() + "): " + e.getMessage(), rule.name(), e);
                }
            }
        }
        return mutations;
    }

    private List<Mutation> projectCustom(ProjectionRule rule, EventEnvelope event) {
        try {
            return List.copyOf(rules.customRules().get(rule.custom()).project(event, new RuleContext(rule.name(), layout)));
        } catch (PoisonEventException e) {
            throw new PoisonEventException(e.reason(), "rule '" + rule.name() + "' (custom " + rule.custom() + "): "
                    + e.getMessage(), rule.name(), e);
        }
    }

    private Mutation render(ProjectionRule rule, MutationTemplate template, EventEnvelope event) {
        String name = rule.name();
        return template.accept(new MutationTemplate.Visitor<Mutation>() {
            @Override
            public Mutation upsert(MutationTemplate.UpsertTemplate u) {
                return new Mutation.Upsert(name, entry(u.key(), event),
                        u.hash() == null ? null : renderFields(u.hash(), event),
                        u.json() == null ? null : u.json().renderValue(event),
                        expireAt(u.options().ttl(), u.options().expiresAt(), event), tags(u.options(), event));
            }

            @Override
            public Mutation merge(MutationTemplate.MergeTemplate m) {
                Map<String, String> fields = new LinkedHashMap<>();
                if (m.hashFrom() != null) {
                    DataPaths.object(event, m.hashFrom()).forEach((field, value) ->
                            fields.put(field, value == null ? null : JsonText.scalarOrJson(value)));
                }
                if (m.hash() != null) {
                    fields.putAll(renderFields(m.hash(), event));
                }
                return new Mutation.Merge(name, entry(m.key(), event), fields,
                        expireAt(m.options().ttl(), m.options().expiresAt(), event), tags(m.options(), event));
            }

            @Override
            public Mutation delete(MutationTemplate.DeleteTemplate d) {
                return new Mutation.Delete(name, entry(d.key(), event), d.channel());
            }

            @Override
            public Mutation expire(MutationTemplate.ExpireTemplate x) {
                return new Mutation.Expire(name, entry(x.key(), event), expireAt(x.ttl(), x.expiresAt(), event));
            }

            @Override
            public Mutation member(MutationTemplate.MemberTemplate mt) {
                Mutation.MemberOperation op = Mutation.MemberOperation.of(mt.operation());
                double score = mt.score() == null ? 0 : score(mt.score(), event);
                WriteOptions options = mt.options();
                return new Mutation.MemberWrite(name, entry(mt.key(), event), op, mt.member().renderValue(event), score,
                        expireAt(options.ttl(), options.expiresAt(), event), tags(options, event));
            }

            @Override
            public Mutation invalidateTag(MutationTemplate.InvalidateTagTemplate it) {
                return new Mutation.InvalidateTag(name, layout.tag(it.tag().renderKey(event)));
            }
        });
    }

    private EntryKey entry(Template key, EventEnvelope event) {
        return layout.entry(key.renderKey(event));
    }

    private List<TagKey> tags(WriteOptions options, EventEnvelope event) {
        List<TagKey> tags = new ArrayList<>(options.tags().size());
        for (Template tag : options.tags()) {
            tags.add(layout.tag(tag.renderKey(event)));
        }
        return tags;
    }

    private static Map<String, String> renderFields(Map<String, Template> fields, EventEnvelope event) {
        Map<String, String> hash = new LinkedHashMap<>();
        fields.forEach((field, value) -> hash.put(field, value.renderValue(event)));
        return hash;
    }

    private static double score(Template template, EventEnvelope event) {
        String text = template.renderValue(event);
        try {
            double score = Double.parseDouble(text);
            if (!Double.isNaN(score)) {
                return score;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PoisonEventException(PoisonReason.BAD_TEMPLATE_VALUE,
                "score '" + template.source() + "' does not render a number (" + event.describe() + ")");
    }

    private static long expireAt(Duration ttl, Template expiresAt, EventEnvelope event) {
        if (ttl != null) {
            return event.time().plus(ttl).toEpochMilli();
        }
        if (expiresAt != null) {
            return parseInstantMillis(expiresAt.renderValue(event), expiresAt.source());
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
                throw new PoisonEventException(PoisonReason.BAD_TEMPLATE_VALUE,
                        "expires-at '" + template + "' renders neither epoch millis nor an RFC 3339 timestamp");
            }
        }
    }
}
