package io.cachep.apply;

import io.cachep.envelope.EventEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Random but plausible event logs for {@link FencingMatchesModelIT}: sessions, profiles, cards, rooms and tenant
 * flushes, each entity's versions 1, 2, 3... Each entity lives either hours ago (its expiries have passed) or minutes
 * ago (its expiries are far ahead), so no expiry falls inside the test run.
 */
final class EventStreams {
    private static final List<String> USERS = List.of("u-1", "u-2", "u-3");
    private static final List<String> TENANTS = List.of("t-1", "t-2");
    private static final List<String> FIELDS = List.of("a", "b", "c");

    private final Random random;
    private final long now;

    EventStreams(Random random, long nowMillis) {
        this.random = random;
        this.now = nowMillis;
    }

    /** The log as producers wrote it: per entity in version order. */
    List<EventEnvelope> log() {
        List<EventEnvelope> log = new ArrayList<>();
        int sessions = 1 + random.nextInt(4);
        for (int i = 1; i <= sessions; i++) {
            log.addAll(session("s-" + i));
        }
        for (int i = 1; i <= 1 + random.nextInt(2); i++) {
            log.addAll(profile("p-" + i));
        }
        for (int i = 1; i <= random.nextInt(2); i++) {
            log.addAll(room("r-" + i));
        }
        if (random.nextBoolean()) {
            log.addAll(card("c-1"));
        }
        int flushes = random.nextInt(3);
        for (int i = 1; i <= flushes; i++) {
            String tenant = pick(TENANTS);
            long at = recentStart() + random.nextInt(600) * 1000L;
            log.add(event("flushed", tenant, i, at, Map.of()));
        }
        return log;
    }

    /** Delivery as a log does it on a bad day: shuffled, some events twice, and a replayed stretch. */
    List<EventEnvelope> deliver(List<EventEnvelope> log) {
        List<EventEnvelope> delivered = new ArrayList<>(log);
        Collections.shuffle(delivered, random);
        int duplicates = random.nextInt(1 + log.size() / 5);
        for (int i = 0; i < duplicates; i++) {
            delivered.add(random.nextInt(delivered.size() + 1), pick(log));
        }
        if (random.nextBoolean() && !delivered.isEmpty()) {
            int from = random.nextInt(delivered.size());
            delivered.addAll(new ArrayList<>(delivered.subList(from, Math.min(delivered.size(), from + 5))));
        }
        return delivered;
    }

    private List<EventEnvelope> session(String id) {
        String user = pick(USERS);
        String tenant = pick(TENANTS);
        long time = start();
        List<EventEnvelope> events = new ArrayList<>();
        Map<String, Object> data = Map.of("user", user, "device", pick(List.of("ios", "web")), "tenant", tenant);
        events.add(event("started", id, 1, time, data));
        int more = random.nextInt(4);
        for (int v = 2; v <= more + 1; v++) {
            time += 1000L + random.nextInt(30_000);
            boolean last = v == more + 1;
            events.add(event(last && random.nextBoolean() ? "ended" : "refreshed", id, v, time, data));
        }
        if (random.nextInt(4) == 0) { // a session that starts again after it ended
            time += 1000L;
            events.add(event("started", id, events.size() + 1, time, data));
        }
        return events;
    }

    private List<EventEnvelope> profile(String id) {
        // Always recent: an old profile would mix an expired note with later writes that have no expiry of their own,
        // the one case where the order of delivery shows (docs/rules.md, "Expiry and late events").
        long time = recentStart();
        List<EventEnvelope> events = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int v = 1; v <= count; v++) {
            time += 1000L + random.nextInt(30_000);
            int kind = random.nextInt(10);
            if (kind < 6) {
                Map<String, Object> data = new LinkedHashMap<>();
                for (String field : FIELDS) {
                    if (random.nextInt(3) == 0) {
                        data.put(field, random.nextInt(5) == 0 ? null : field + v);
                    }
                }
                if (data.isEmpty()) {
                    data.put(pick(FIELDS), "x" + v);
                }
                events.add(event("updated", id, v, time, data));
            } else if (kind < 8) {
                events.add(event("noted", id, v, time, Map.of("note", "n" + v)));
            } else {
                events.add(event("erased", id, v, time, Map.of()));
            }
        }
        return events;
    }

    private List<EventEnvelope> room(String id) {
        long time = start();
        List<EventEnvelope> events = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int v = 1; v <= count; v++) {
            time += 1000L + random.nextInt(30_000);
            if (!inside.isEmpty() && random.nextInt(3) == 0) {
                String user = inside.remove(random.nextInt(inside.size()));
                events.add(event("left", id, v, time, Map.of("user", user)));
            } else {
                String user = pick(USERS);
                inside.remove(user);
                inside.add(user);
                events.add(event("joined", id, v, time, Map.of("user", user, "at", v * 10)));
            }
        }
        return events;
    }

    private List<EventEnvelope> card(String id) {
        long time = start();
        List<EventEnvelope> events = new ArrayList<>();
        for (int v = 1; v <= 1 + random.nextInt(3); v++) {
            time += 1000L;
            events.add(event("snapshot", id, v, time, Map.of("name", "card" + v, "v", v)));
        }
        return events;
    }

    /** Hours ago (every expiry has passed) or minutes ago (every expiry is far ahead). */
    private long start() {
        return random.nextInt(4) == 0 ? now - Duration.ofHours(5).toMillis() + random.nextInt(60_000) : recentStart();
    }

    private long recentStart() {
        return now - Duration.ofMinutes(15).toMillis();
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private EventEnvelope event(String type, String subject, long version, long timeMillis, Map<String, Object> data) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        String json = copy.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        return new EventEnvelope(new UUID(random.nextLong(), random.nextLong()).toString(), type, "/model-test", subject,
                Instant.ofEpochMilli(timeMillis), version, Collections.unmodifiableMap(copy), json);
    }

    static String describe(List<EventEnvelope> events) {
        return events.stream().map(e -> "  " + e.type() + " " + e.subject() + " v" + e.entityVersion() + " @" + e.time()
                + " " + e.dataJson()).collect(Collectors.joining("\n"));
    }
}
