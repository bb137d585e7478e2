package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Chat rooms ({@code subject} = room id): users join and leave. A user joins only a room it is not in and leaves
 * only a room it is in, so the participants sorted set the rules keep always matches who is really there. A room
 * fills towards half its capacity and never beyond it: the fuller it is, the likelier the next event is a leave.
 */
public final class RoomScenario implements Scenario {
    public static final String TOPIC = "room-events";
    public static final String JOINED = "com.example.room.joined";
    public static final String LEFT = "com.example.room.left";
    /** At most this many people in a room; fewer when there are fewer users. */
    public static final int DEFAULT_CAPACITY = 20;
    /** Retries to find a user not yet in a room before leaving instead; a room is at most half of all users. */
    private static final int JOIN_ATTEMPTS = 8;

    private final Random random;
    private final Population people;
    private final List<Room> rooms = new ArrayList<>();
    private final int capacity;

    private static final class Room {
        final String id;
        final List<String> participants = new ArrayList<>(); // a list, to pick one at random reproducibly
        final Set<String> present = new HashSet<>();
        long version;

        Room(String id) {
            this.id = id;
        }
    }

    /** One room per ten users (at least one), each holding at most {@link #DEFAULT_CAPACITY}. */
    public RoomScenario(long seed, int users) {
        this(seed, users, Math.max(1, users / 10), DEFAULT_CAPACITY);
    }

    /**
     * @param users    how many users {@code u-1..u-N} may join
     * @param rooms    how many rooms {@code r-1..r-N} there are
     * @param capacity the most participants a room has at once
     */
    public RoomScenario(long seed, int users, int rooms, int capacity) {
        if (rooms < 1 || capacity < 1) {
            throw new IllegalArgumentException("need at least one room of capacity 1, got " + rooms + " of " + capacity);
        }
        this.random = new Random(seed);
        this.people = Population.ofUsers(users);
        // Half the users at most, so a random user is usually not in the room yet and a join is cheap to find.
        this.capacity = Math.max(1, Math.min(capacity, users / 2));
        for (int i = 1; i <= rooms; i++) {
            this.rooms.add(new Room("r-" + i));
        }
    }

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public DemoEvent next(Instant now) {
        Room room = rooms.get(random.nextInt(rooms.size()));
        int size = room.participants.size();
        if (size < capacity && random.nextDouble() * capacity >= size) {
            String newcomer = newcomer(room);
            if (newcomer != null) {
                return join(room, newcomer, now);
            }
        }
        return leave(room, room.participants.get(random.nextInt(size)), now);
    }

    /** A user not in the room, or null when random picks kept hitting people already there. */
    private String newcomer(Room room) {
        for (int attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
            String userId = people.randomUser(random);
            if (!room.present.contains(userId)) {
                return userId;
            }
        }
        return null;
    }

    private DemoEvent join(Room room, String userId, Instant now) {
        room.participants.add(userId);
        room.present.add(userId);
        ObjectNode event = envelope(JOINED, room, now);
        event.putObject("data").put("userId", userId).put("joinedAtMillis", now.toEpochMilli());
        return new DemoEvent(TOPIC, room.id, CloudEventWriter.bytes(event), JOINED);
    }

    private DemoEvent leave(Room room, String userId, Instant now) {
        room.participants.remove(userId);
        room.present.remove(userId);
        ObjectNode event = envelope(LEFT, room, now);
        event.putObject("data").put("userId", userId);
        return new DemoEvent(TOPIC, room.id, CloudEventWriter.bytes(event), LEFT);
    }

    private static ObjectNode envelope(String type, Room room, Instant now) {
        return CloudEventWriter.envelope(type, room.id, ++room.version, now);
    }
}
