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
 */
public final class FaultInjector {
    /** The kinds of bad input emitted, in rotation. */
    static final List<String> POISON_KINDS = List.of("not-json", "missing-attribute", "bad-version", "bad-time");

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
     * A broken copy of {@code real} (same topic, type and data shape, its own {@code poison-N} subject), so the only
     * thing wrong with it is the one deliberate fault. It names user {@code u-poison}, never a real one, so even a
     * projector that wrongly applied it would not touch a real user's entries.
     */
    private DemoEvent poisonRecord(DemoEvent real, Instant now) {
        String kind = POISON_KINDS.get((int) (poisonCount++ % POISON_KINDS.size()));
        String subject = "poison-" + poisonCount;
        byte[] value;
        if (kind.equals("not-json")) {
            value = "{\"specversion\": \"1.0\", truncated".getBytes(StandardCharsets.UTF_8);
        } else {
            ObjectNode event = CloudEventWriter.read(real.value());
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", subject);
            event.put("entityversion", 1);
            event.put("time", now.toString());
            if (event.path("data").has("userId")) {
                ((ObjectNode) event.get("data")).put("userId", "u-poison");
            }
            switch (kind) {
                case "missing-attribute" -> event.remove("type");
                case "bad-version" -> event.put("entityversion", "abc");
                default -> event.put("time", "yesterday");
            }
            value = CloudEventWriter.bytes(event);
        }
        return new DemoEvent(real.topic(), subject, value, "poison:" + kind);
    }

    private static double check(String name, double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("--" + name + " must be a fraction between 0 and 1, was " + fraction);
        }
        return fraction;
    }
}
