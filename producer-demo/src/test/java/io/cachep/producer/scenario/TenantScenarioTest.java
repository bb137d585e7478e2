package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.producer.scenario.ScenarioRun.Emitted;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantScenarioTest {

    @Test
    void shouldFlushEveryTenantOfTheGivenNumberAndSayWhy() {
        List<Emitted> events = ScenarioRun.run(new TenantScenario(4, 3), 300);
        assertThat(events).extracting(Emitted::type).containsOnly(TenantScenario.CACHE_FLUSHED);
        assertThat(events).extracting(Emitted::subject).containsOnly("t-1", "t-2", "t-3").contains("t-1", "t-2", "t-3");
        assertThat(events).extracting(e -> e.data().path("reason").asText()).doesNotContain("");
    }
}
