package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileScenarioTest {
    private final List<Emitted> events = ScenarioRun.run(new ProfileScenario(9, 80), 4000);

    @Test
    void shouldUpdateOneToThreeFlatStringFields() {
        Set<Integer> sizes = new HashSet<>();
        for (Emitted e : ScenarioRun.ofType(events, ProfileScenario.UPDATED)) {
            List<String> fields = fieldNames(e.data());
            sizes.add(fields.size());
            // profile-updated merges every top-level field into a hash: nothing nested, nothing but strings
            assertThat(ProfileScenario.FIELDS).containsAll(fields);
            fields.forEach(f -> assertThat(e.data().get(f).isTextual()).as("%s of %s", f, e.event()).isTrue());
        }
        assertThat(sizes).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void shouldSnapshotAboutOneEventInTenAsTheWholeProfileWithPreferences() {
        List<Emitted> snapshots = ScenarioRun.ofType(events, ProfileScenario.SNAPSHOT);
        assertThat(snapshots.size()).isBetween(events.size() * 7 / 100, events.size() * 13 / 100);
        for (Emitted e : snapshots) {
            ProfileScenario.FIELDS.forEach(f -> assertThat(e.data().path(f).isTextual()).as("%s of %s", f, e.event()).isTrue());
            JsonNode preferences = e.data().path("preferences");
            assertThat(preferences.path("theme").asText()).isIn("light", "dark", "system");
            assertThat(preferences.path("notifications").isBoolean()).isTrue();
        }
    }

    @Test
    void shouldSnapshotTheProfileAsTheUpdatesLeftIt() {
        Map<String, Map<String, String>> known = new HashMap<>();
        for (Emitted e : events) {
            Map<String, String> profile = known.computeIfAbsent(e.subject(), s -> new HashMap<>());
            if (e.type().equals(ProfileScenario.SNAPSHOT)) {
                profile.forEach((field, value) -> assertThat(e.data().path(field).asText())
                        .as("%s of %s after its updates", field, e.subject()).isEqualTo(value));
            }
            ProfileScenario.FIELDS.stream().filter(e.data()::has)
                    .forEach(field -> profile.put(field, e.data().get(field).asText()));
        }
    }

    @Test
    void shouldUseUserIdsAsSubjects() {
        assertThat(events).extracting(Emitted::subject).allMatch(s -> s.matches("u-([1-9]|[1-7][0-9]|80)"));
    }

    private static List<String> fieldNames(JsonNode data) {
        return data.properties().stream().map(Map.Entry::getKey).toList();
    }
}
