package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What every scenario promises, whichever it is: keys, versions, well-formed events that feed their rules. */
class ScenarioContractTest {
    static final List<String> NAMES = Scenarios.NAMES;
    private static final ScenarioSizes SIZES = new ScenarioSizes(200, 100, 5);
    private static final int STEPS = 4000;

    private static List<Emitted> run(String name, long seed) {
        return ScenarioRun.run(Scenarios.create(name, seed, SIZES), STEPS);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void shouldKeyEveryRecordBySubjectWithVersionsOneTwoThreePerEntity(String name) {
        Map<String, Long> lastVersion = new HashMap<>();
        for (Emitted e : run(name, 11)) {
            assertThat(e.record().key()).isEqualTo(e.subject()).isNotEmpty();
            String entity = e.topic() + "/" + e.subject(); // keys are unique per topic only
            assertThat(e.version()).as("version of %s", entity).isEqualTo(lastVersion.getOrDefault(entity, 0L) + 1);
            lastVersion.put(entity, e.version());
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void shouldWriteWellFormedCloudEventsThatFeedTheirRules(String name) {
        List<Emitted> events = run(name, 11);
        for (Emitted e : events) {
            assertThat(e.event().path("specversion").asText()).isEqualTo("1.0");
            assertThat(e.event().path("id").asText()).isNotEmpty();
            assertThat(e.event().path("source").asText()).isEqualTo(CloudEventWriter.SOURCE);
            assertThat(e.event().path("entityversion").isIntegralNumber()).isTrue();
            assertThat(Instant.parse(e.event().path("time").asText())).isAfterOrEqualTo(ScenarioRun.START);
        }
        RuleContract.assertEveryEventFeedsItsRule(events);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void shouldRepeatTheSameStreamForTheSameSeed(String name) {
        List<String> first = run(name, 42).stream().map(Emitted::withoutId).toList();
        assertThat(run(name, 42).stream().map(Emitted::withoutId).toList()).isEqualTo(first);
        assertThat(run(name, 43).stream().map(Emitted::withoutId).toList()).isNotEqualTo(first);
        assertThat(Scenarios.create(name, 42, SIZES).name()).isEqualTo(name);
    }
}
