package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Login sessions: users start sessions on a device, refresh them while active, and end them. Each session is an
 * entity ({@code subject} = session id) whose {@code entityversion} grows by one per event. Every event carries the
 * session's userId, device, startedAt and the user's tenantId: the rules for a refresh or an end may need any of them
 * (session-ended removes the session from {@code user:{data.userId}:sessions}).
 */
public final class SessionScenario implements Scenario {
    public static final String TOPIC = "session-events";
    public static final String STARTED = "com.example.session.started";
    public static final String REFRESHED = "com.example.session.refreshed";
    public static final String ENDED = "com.example.session.ended";
    private static final String[] DEVICES = {"ios", "android", "web", "desktop"};

    private final Random random;
    private final int targetActive;
    private final Population people;
    private final List<Session> active = new ArrayList<>();
    private long nextSessionNumber = 1;

    private static final class Session {
        final String id;
        final String userId;
        final String tenantId;
        final String device;
        final Instant startedAt;
        long version;

        Session(String id, String userId, String tenantId, String device, Instant startedAt) {
            this.id = id;
            this.userId = userId;
            this.tenantId = tenantId;
            this.device = device;
            this.startedAt = startedAt;
        }
    }

    /** Users spread over {@link ScenarioSizes#DEFAULT_TENANTS} tenants. */
    public SessionScenario(long seed, int targetActive, int users) {
        this(seed, targetActive, users, ScenarioSizes.DEFAULT_TENANTS);
    }

    /**
     * @param targetActive how many sessions are open at once in the steady state
     * @param users        how many distinct users own them
     * @param tenants      how many tenants those users belong to
     */
    public SessionScenario(long seed, int targetActive, int users, int tenants) {
        this.random = new Random(seed);
        this.targetActive = targetActive;
        this.people = new Population(users, tenants);
    }

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public DemoEvent next(Instant now) {
        double roll = random.nextDouble();
        if (active.isEmpty() || (active.size() < targetActive && roll < 0.5) || roll < 0.2) {
            return start(now);
        }
        Session session = active.get(random.nextInt(active.size()));
        if (roll < 0.85) {
            return event(REFRESHED, session, now);
        }
        active.remove(session);
        return event(ENDED, session, now);
    }

    private DemoEvent start(Instant now) {
        String userId = people.randomUser(random);
        Session session = new Session("s-" + nextSessionNumber++, userId, people.tenantOf(userId),
                DEVICES[random.nextInt(DEVICES.length)], now);
        active.add(session);
        return event(STARTED, session, now);
    }

    private DemoEvent event(String type, Session session, Instant now) {
        session.version++;
        ObjectNode event = CloudEventWriter.envelope(type, session.id, session.version, now);
        ObjectNode data = event.putObject("data");
        data.put("userId", session.userId);
        data.put("tenantId", session.tenantId);
        data.put("device", session.device);
        data.put("startedAt", session.startedAt.toString());
        return new DemoEvent(TOPIC, session.id, CloudEventWriter.bytes(event), type);
    }
}
