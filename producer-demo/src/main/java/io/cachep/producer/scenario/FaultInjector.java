package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Makes a clean scenario look like a real log: some events sent twice (a producer retry, a redelivery), some held
 * back and sent after the entity's next event (reordering), and some poison records that no rule can apply. Poison
 * goes to the topic of the event it accompanies, so every topic of a mixed stream gets its share.
 *
 * <p>The poison kinds take turns, one of each bad input the projector dead-letters before or instead of writing to
 * Redis: an empty value, a value that is not JSON, a JSON array, each required attribute missing, an
 * {@code entityversion} that is not an integer or is negative, a {@code time} that is not a timestamp, a value over
 * the projector's default {@code projector.max.event.bytes}, a type no rule matches, and an event of a real type
 * whose data lacks a field its rule in {@code rules/demo.yaml} renders. A Redis key of the wrong type (WRONGTYPE) is
 * the one poison a producer cannot cause.
 */
public final class FaultInjector {
    static final String EMPTY = "empty";
    static final String NOT_JSON = "not-json";
    static final String JSON_ARRAY = "json-array";
    /** Followed by {@code :<attribute>}; the kinds share this prefix so a summary can add them up. */
    static final String MISSING_ATTRIBUTE = "missing-attribute";
    static final String BAD_VERSION = "bad-version";
    static final String NEGATIVE_VERSION = "negative-version";
    static final String BAD_TIME = "bad-time";
    static final String TOO_LARGE = "too-large";
    static final String UNKNOWN_TYPE = "unknown-type";
    static final String MISSING_TEMPLATE_FIELD = "missing-template-field";

    /** The CloudEvents attributes every event needs (besides time and entityversion, which have kinds of their own). */
    static final List<String> REQUIRED_ATTRIBUTES = List.of("specversion", "id", "type", "source", "subject");

    /** The kinds of bad input emitted, in rotation. */
    static final List<String> POISON_KINDS = List.of(EMPTY, NOT_JSON, JSON_ARRAY,
            MISSING_ATTRIBUTE + ":specversion", MISSING_ATTRIBUTE + ":id", MISSING_ATTRIBUTE + ":type",
            MISSING_ATTRIBUTE + ":source", MISSING_ATTRIBUTE + ":subject",
            BAD_VERSION, NEGATIVE_VERSION, BAD_TIME, TOO_LARGE, UNKNOWN_TYPE, MISSING_TEMPLATE_FIELD);

    /** The type of an unknown-type record: well formed, but no rule of {@code rules/demo.yaml} matches it. */
    static final String UNKNOWN_TYPE_NAME = "com.example.unknown";

    /**
     * Padding inside the data of a too-large record: over the projector's default {@code projector.max.event.bytes}
     * (1 MiB), so the record is dead-lettered (VALUE_TOO_LARGE), and under the 2 MiB the demo's topics accept.
     */
    static final int TOO_LARGE_PADDING_CHARS = 1_200_000;

    /**
     * Per topic, an event type whose rule renders a data field, and the field to leave out. The tenant topic has
     * none: its only rule renders nothing but the subject, so there a missing-template-field turn goes to the next kind.
     */
    record MissingField(String type, String field) {}

    static final Map<String, MissingField> MISSING_FIELD_BY_TOPIC = Map.of(
            SessionScenario.TOPIC, new MissingField(SessionScenario.STARTED, "userId"),   // session-started: {data.userId}
            ProfileScenario.TOPIC, new MissingField(ProfileScenario.SNAPSHOT, "displayName"), // custom initials rule
            RoomScenario.TOPIC, new MissingField(RoomScenario.JOINED, "userId"));         // participant-joined: member

    /** An entity is a key within a topic: {@code u-7} on profile-events and on room-events are different things. */
    private record Entity(String topic, String key) {
        static Entity of(DemoEvent event) {
            return new Entity(event.topic(), event.key());
        }
    }

    private final Scenario scenario;
    private final Random random;
    private final double duplicates;
    private final double reorder;
    private final double poison;
    private final Map<Entity, DemoEvent> heldBack = new LinkedHashMap<>(); // drained oldest first
    private long poisonCount;
    private long kindTurn;

    /** Fractions in [0, 1] of events duplicated, reordered and of extra poison records. */
    public FaultInjector(Scenario scenario, long seed, double duplicates, double reorder, double poison) {
        this.scenario = scenario;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.duplicates = check("duplicates", duplicates);
        this.reorder = check("reorder", reorder);
        this.poison = check("poison", poison);
    }

    /** The records to send for one step of the scenario: none (one held back), one, or several. */
    public List<DemoEvent> next(Instant now) {
        List<DemoEvent> out = new ArrayList<>(3);
        DemoEvent event = scenario.next(now);
        if (random.nextDouble() < poison) {
            out.add(poisonRecord(event, now));
        }
        DemoEvent earlier = heldBack.remove(Entity.of(event));
        if (earlier == null && random.nextDouble() < reorder) {
            heldBack.put(Entity.of(event), event); // sent after this entity's next event
            return out;
        }
        out.add(event);
        if (earlier != null) {
            out.add(earlier);
        }
        if (random.nextDouble() < duplicates) {
            out.add(new DemoEvent(event.topic(), event.key(), event.value(), "duplicate:" + event.kind()));
        }
        return out;
    }

    /** Everything still held back, to send before stopping so no event is lost. */
    public List<DemoEvent> drain() {
        List<DemoEvent> rest = new ArrayList<>(heldBack.values());
        heldBack.clear();
        return rest;
    }

    /**
     * A broken copy of {@code real} (same topic, type and data shape, its own {@code poison-N} key and subject), so
     * the only thing wrong with it is the one deliberate fault. It names user {@code u-poison}, never a real one, so
     * even a projector that wrongly applied it would not touch a real user's entries.
     */
    private DemoEvent poisonRecord(DemoEvent real, Instant now) {
        String kind = nextKind(real.topic());
        String subject = "poison-" + ++poisonCount;
        byte[] value = switch (kind) {
            case EMPTY -> new byte[0];
            case NOT_JSON -> "{\"specversion\": \"1.0\", truncated".getBytes(StandardCharsets.UTF_8);
            default -> brokenEvent(kind, real, subject, now);
        };
        return new DemoEvent(real.topic(), subject, value, "poison:" + kind);
    }

    /** The next kind in rotation that can be built on {@code topic}. */
    private String nextKind(String topic) {
        while (true) {
            String kind = POISON_KINDS.get((int) (kindTurn++ % POISON_KINDS.size()));
            if (!kind.equals(MISSING_TEMPLATE_FIELD) || MISSING_FIELD_BY_TOPIC.containsKey(topic)) {
                return kind;
            }
        }
    }

    private static byte[] brokenEvent(String kind, DemoEvent real, String subject, Instant now) {
        ObjectNode event = CloudEventWriter.read(real.value());
        event.put("id", UUID.randomUUID().toString());
        event.put("subject", subject); // records are keyed by subject, and a key that differs is poison of its own
        event.put("entityversion", 1);
        event.put("time", now.toString());
        if (event.path("data").has("userId")) {
            ((ObjectNode) event.get("data")).put("userId", "u-poison");
        }
        if (kind.startsWith(MISSING_ATTRIBUTE + ":")) {
            event.remove(kind.substring(MISSING_ATTRIBUTE.length() + 1));
            return CloudEventWriter.bytes(event);
        }
        switch (kind) {
            case JSON_ARRAY -> {
                return CloudEventWriter.bytes(event.arrayNode().add(event)); // the event, inside an array
            }
            case BAD_VERSION -> event.put("entityversion", "abc");
            case NEGATIVE_VERSION -> event.put("entityversion", -1);
            case BAD_TIME -> event.put("time", "yesterday");
            case TOO_LARGE -> dataOf(event).put("padding", "x".repeat(TOO_LARGE_PADDING_CHARS));
            case UNKNOWN_TYPE -> event.put("type", UNKNOWN_TYPE_NAME);
            case MISSING_TEMPLATE_FIELD -> withoutTemplateField(event, MISSING_FIELD_BY_TOPIC.get(real.topic()), now);
            default -> throw new IllegalStateException("no recipe for poison kind " + kind);
        }
        return CloudEventWriter.bytes(event);
    }

    /** A complete event of the topic's victim type, then its one field taken out. */
    private static void withoutTemplateField(ObjectNode event, MissingField missing, Instant now) {
        event.put("type", missing.type());
        ObjectNode data = event.putObject("data");
        switch (missing.type()) {
            case SessionScenario.STARTED -> data.put("userId", "u-poison").put("tenantId", "t-poison")
                    .put("device", "poison").put("startedAt", now.toString());
            case ProfileScenario.SNAPSHOT -> data.put("displayName", "Poison Record").put("plan", "free")
                    .putObject("preferences").put("theme", "dark").put("notifications", false);
            case RoomScenario.JOINED -> data.put("userId", "u-poison").put("joinedAtMillis", now.toEpochMilli());
            default -> throw new IllegalStateException("no data recipe for " + missing.type());
        }
        data.remove(missing.field());
    }

    private static ObjectNode dataOf(ObjectNode event) {
        return event.get("data") instanceof ObjectNode data ? data : event.putObject("data");
    }

    private static double check(String name, double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("--" + name + " must be a fraction between 0 and 1, was " + fraction);
        }
        return fraction;
    }
}
