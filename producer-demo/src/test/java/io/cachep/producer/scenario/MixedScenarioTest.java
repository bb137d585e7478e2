package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MixedScenarioTest {
    private static final int STEPS = 5000;
    private final List<Emitted> events = ScenarioRun.run(new MixedScenario(21, new ScenarioSizes(300, 100, 4)), STEPS);

    private Set<String> collect(String topic, Function<Emitted, String> what) {
        return events.stream().filter(e -> e.topic().equals(topic)).map(what).collect(Collectors.toSet());
    }

    @Test
    void shouldEmitAllFourTopicsInRoughlyTheirShares() {
        Map<String, Long> byTopic = events.stream().collect(Collectors.groupingBy(Emitted::topic, Collectors.counting()));
        assertThat(byTopic).containsOnlyKeys(SessionScenario.TOPIC, ProfileScenario.TOPIC, RoomScenario.TOPIC, TenantScenario.TOPIC);
        assertThat(byTopic.get(SessionScenario.TOPIC)).isBetween(STEPS * 45L / 100, STEPS * 55L / 100);
        assertThat(byTopic.get(ProfileScenario.TOPIC)).isBetween(STEPS * 21L / 100, STEPS * 29L / 100);
        assertThat(byTopic.get(RoomScenario.TOPIC)).isBetween(STEPS * 19L / 100, STEPS * 27L / 100);
        assertThat(byTopic.get(TenantScenario.TOPIC)).isBetween(STEPS / 100L, STEPS * 3L / 100);
    }

    @Test
    void shouldTalkAboutTheSameUsersOnEveryTopic() {
        Set<String> sessionUsers = collect(SessionScenario.TOPIC, e -> e.data().path("userId").asText());
        Set<String> profileUsers = collect(ProfileScenario.TOPIC, Emitted::subject);
        Set<String> roomUsers = collect(RoomScenario.TOPIC, e -> e.data().path("userId").asText());
        Set<String> allUsers = new HashSet<>();
        for (int i = 1; i <= 100; i++) {
            allUsers.add("u-" + i);
        }
        assertThat(allUsers).containsAll(sessionUsers).containsAll(profileUsers).containsAll(roomUsers);
        Set<String> everywhere = new HashSet<>(sessionUsers);
        everywhere.retainAll(profileUsers);
        everywhere.retainAll(roomUsers);
        assertThat(everywhere).hasSizeGreaterThan(50);
    }

    @Test
    void shouldFlushTheTenantsTheSessionsBelongTo() {
        Set<String> sessionTenants = collect(SessionScenario.TOPIC, e -> e.data().path("tenantId").asText());
        assertThat(sessionTenants).containsExactlyInAnyOrder("t-1", "t-2", "t-3", "t-4");
        assertThat(sessionTenants).containsAll(collect(TenantScenario.TOPIC, Emitted::subject));
    }

    @Test
    void shouldTakeItsPartsFromTheGivenWeights() {
        List<Emitted> onlyRooms = ScenarioRun.run(new MixedScenario(1, List.of(
                new MixedScenario.Part(new RoomScenario(1, 50), 1),
                new MixedScenario.Part(new TenantScenario(1, 2), 1e-9))), 500);
        assertThat(onlyRooms).extracting(Emitted::topic).containsOnly(RoomScenario.TOPIC);
        assertThatThrownBy(() -> new MixedScenario.Part(new TenantScenario(1, 2), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MixedScenario(1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
