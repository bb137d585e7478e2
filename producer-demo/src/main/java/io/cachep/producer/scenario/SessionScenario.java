package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Login sessions: users start sessions on a device, refresh them while active, and end them. Each session is an
 * entity ({@code subject} = session id) whose {@code entityversion} grows by one per event.
 */
public final class SessionScenario implements Scenario {
    public static final String TOPIC = "session-events";
    public static final String STARTED = "com.example.session.started";
    public static final String REFRESHED = "com.example.session.refreshed";
    public static final String ENDED = "com.example.session.ended";
    private static final String[] DEVICES = {"ios", "android", "web", "desktop"};

    private final Random random;
    private final int targetActive;
    private final int users;
    private final List<Session> active = new ArrayList<>();
    private long nextSessionNumber = 1;

    private static final class Session {
        final String id;
        final String userId;
        final String device;
        final Instant startedAt;
        long version;

        Session(String id, String userId, String device, Instant startedAt) {
            this.id = id;
            this.userId = userId;
            this.device = device;
            this.startedAt = startedAt;
        }
    }

    /**
     * @param targetActive how many sessions are open at once in the steady state
     * @param users        how many distinct users own them
     */
    public SessionScenario(long seed, int targetActive, int users) {
        this.random = new Random(seed);
        this.targetActive = targetActive;
        this.users = users;
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
        Session session = new Session("s-" + nextSessionNumber++, "u-" + (1 + random.nextInt(users)),
                DEVICES[random.nextInt(DEVICES.length)], now);
        active.add(session);
        return event(STARTED, session, now);
    }

    private DemoEvent event(String type, Session session, Instant now) {
        session.version++;
        ObjectNode event = CloudEventWriter.envelope(type, session.id, session.version, now);
        ObjectNode data = event.putObject("data");
        data.put("userId", session.userId);
        data.put("device", session.device);
        data.put("startedAt", session.startedAt.toString());
        return new DemoEvent(TOPIC, session.id, CloudEventWriter.bytes(event), type);
    }
}
