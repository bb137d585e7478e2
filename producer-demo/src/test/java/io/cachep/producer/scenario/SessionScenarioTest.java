package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionScenarioTest {

    @Test
    void shouldPutEachUserInOneTenantOfTheGivenNumber() {
        List<Emitted> events = ScenarioRun.run(new SessionScenario(5, 100, 60, 3), 3000);
        Map<String, String> tenantOfUser = new HashMap<>();
        for (Emitted e : events) {
            String user = e.data().path("userId").asText();
            String tenant = e.data().path("tenantId").asText();
            assertThat(tenantOfUser.putIfAbsent(user, tenant)).as("tenant of %s", user).isIn(null, tenant);
        }
        assertThat(tenantOfUser.values()).containsOnly("t-1", "t-2", "t-3").contains("t-1", "t-2", "t-3");
        assertThat(tenantOfUser.keySet()).allMatch(user -> user.matches("u-([1-9]|[1-5][0-9]|60)"));
    }

    @Test
    void shouldKeepTheOriginalConstructorWithTheDefaultTenants() {
        List<Emitted> events = ScenarioRun.run(new SessionScenario(5, 100, 60), 3000);
        assertThat(events).extracting(e -> e.data().path("tenantId").asText())
                .containsOnly("t-1", "t-2", "t-3", "t-4", "t-5")
                .hasSameSizeAs(events);
        assertThat(ScenarioSizes.DEFAULT_TENANTS).isEqualTo(5);
    }

    @Test
    void shouldRepeatTheSessionsStartingDataInItsRefreshesAndEnd() {
        List<Emitted> events = ScenarioRun.run(new SessionScenario(5, 100, 60, 3), 3000);
        Map<String, JsonNode> startData = new HashMap<>();
        for (Emitted e : events) {
            if (e.type().equals(SessionScenario.STARTED)) {
                assertThat(e.data().path("startedAt").asText()).isEqualTo(e.event().path("time").asText());
                startData.put(e.subject(), e.data());
            } else {
                // session-ended removes the session from user:{data.userId}:sessions, so the user must be the same
                assertThat(e.data()).as("data of %s", e.event()).isEqualTo(startData.get(e.subject()));
            }
        }
        assertThat(ScenarioRun.ofType(events, SessionScenario.REFRESHED)).isNotEmpty();
        assertThat(ScenarioRun.ofType(events, SessionScenario.ENDED)).isNotEmpty();
    }
}
