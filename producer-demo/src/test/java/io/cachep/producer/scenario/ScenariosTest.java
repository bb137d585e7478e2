package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenariosTest {
    private static final ScenarioSizes SIZES = new ScenarioSizes(10, 10, 2);

    @Test
    void shouldBuildEachScenarioByName() {
        assertThat(Scenarios.create("sessions", 1, SIZES)).isInstanceOf(SessionScenario.class);
        assertThat(Scenarios.create("profiles", 1, SIZES)).isInstanceOf(ProfileScenario.class);
        assertThat(Scenarios.create("rooms", 1, SIZES)).isInstanceOf(RoomScenario.class);
        assertThat(Scenarios.create("tenants", 1, SIZES)).isInstanceOf(TenantScenario.class);
        assertThat(Scenarios.create("mixed", 1, SIZES)).isInstanceOf(MixedScenario.class);
    }

    @Test
    void shouldNameTheAvailableScenariosWhenGivenAnUnknownOne() {
        assertThatThrownBy(() -> Scenarios.create("chat", 1, SIZES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scenario 'chat'; available: sessions, profiles, rooms, tenants, mixed");
    }

    @Test
    void shouldRejectAnEmptyWorldNamingTheOption() {
        assertThatThrownBy(() -> new ScenarioSizes(10, 10, 0)).hasMessageContaining("--tenants");
        assertThatThrownBy(() -> new ScenarioSizes(10, 0, 2)).hasMessageContaining("--users");
        assertThatThrownBy(() -> new ScenarioSizes(0, 10, 2)).hasMessageContaining("--sessions");
    }
}
