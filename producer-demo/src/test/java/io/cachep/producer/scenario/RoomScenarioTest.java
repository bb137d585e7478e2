package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomScenarioTest {

    /** Replays joins and leaves, checking each against who is in the room; returns the largest room seen. */
    private static int replay(List<Emitted> events) {
        Map<String, Set<String>> inRoom = new HashMap<>();
        int largest = 0;
        for (Emitted e : events) {
            Set<String> present = inRoom.computeIfAbsent(e.subject(), r -> new HashSet<>());
            String user = e.data().path("userId").asText();
            if (e.type().equals(RoomScenario.JOINED)) {
                assertThat(present.add(user)).as("%s joins %s, which it is not in", user, e.subject()).isTrue();
            } else {
                assertThat(present.remove(user)).as("%s leaves %s, which it is in", user, e.subject()).isTrue();
            }
            largest = Math.max(largest, present.size());
        }
        return largest;
    }

    @Test
    void shouldLetUsersLeaveOnlyRoomsTheyAreInAndKeepRoomsWithinCapacity() {
        List<Emitted> events = ScenarioRun.run(new RoomScenario(3, 100, 5, 8), 4000);
        assertThat(replay(events)).isBetween(2, 8);
        assertThat(events).extracting(Emitted::subject).containsOnly("r-1", "r-2", "r-3", "r-4", "r-5");
        assertThat(ScenarioRun.ofType(events, RoomScenario.JOINED).size()).isGreaterThan(1000);
        assertThat(ScenarioRun.ofType(events, RoomScenario.LEFT).size()).isGreaterThan(1000);
    }

    @Test
    void shouldScoreAJoinByTheEventTimeInEpochMillis() {
        for (Emitted e : ScenarioRun.ofType(ScenarioRun.run(new RoomScenario(3, 100), 2000), RoomScenario.JOINED)) {
            assertThat(e.data().path("joinedAtMillis").isIntegralNumber()).isTrue();
            assertThat(e.data().path("joinedAtMillis").asLong())
                    .isEqualTo(Instant.parse(e.event().path("time").asText()).toEpochMilli());
        }
    }

    @Test
    void shouldStayConsistentWithFewerUsersThanSeats() {
        // Two users, capacity 20: a room can hold only one of them, and no one joins twice.
        assertThat(replay(ScenarioRun.run(new RoomScenario(3, 2, 2, 20), 500))).isEqualTo(1);
    }
}
