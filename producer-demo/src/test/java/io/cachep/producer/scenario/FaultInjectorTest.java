package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<DemoEvent> run(FaultInjector injector, int steps) {
        List<DemoEvent> sent = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            sent.addAll(injector.next(Instant.now()));
        }
        sent.addAll(injector.drain());
        return sent;
    }

    private static JsonNode json(DemoEvent e) {
        try {
            return JSON.readTree(e.value());
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldSendEveryVersionOfEveryEntityExactlyOnceWithoutFaults() {
        List<DemoEvent> sent = run(new FaultInjector(new SessionScenario(7, 50, 20), 7, 0, 0, 0), 2000);
        assertThat(sent).hasSize(2000).noneMatch(DemoEvent::isPoison);
        Map<String, Long> lastVersion = new HashMap<>();
        for (DemoEvent e : sent) {
            JsonNode event = json(e);
            assertThat(e.key()).isEqualTo(event.get("subject").asText());
            long version = event.get("entityversion").asLong();
            assertThat(version).isEqualTo(lastVersion.getOrDefault(e.key(), 0L) + 1);
            lastVersion.put(e.key(), version);
        }
    }

    @Test
    void shouldReorderAndDuplicateButNeverLoseAnEvent() {
        List<DemoEvent> sent = run(new FaultInjector(new SessionScenario(7, 50, 20), 7, 0.1, 0.2, 0), 5000);
        Set<String> distinct = new HashSet<>();
        int duplicates = 0;
        int outOfOrder = 0;
        Map<String, Long> highest = new HashMap<>();
        Map<String, Set<Long>> versions = new HashMap<>();
        for (DemoEvent e : sent) {
            JsonNode event = json(e);
            if (!distinct.add(event.get("id").asText())) {
                duplicates++;
                continue;
            }
            long version = event.get("entityversion").asLong();
            if (version < highest.getOrDefault(e.key(), 0L)) {
                outOfOrder++;
            }
            highest.merge(e.key(), version, Math::max);
            versions.computeIfAbsent(e.key(), k -> new HashSet<>()).add(version);
        }
        assertThat(distinct).hasSize(5000);
        versions.forEach((subject, seen) -> assertThat(seen).as("versions of %s", subject)
                .hasSize(highest.get(subject).intValue()));
        assertThat(duplicates).isBetween(300, 700);
        assertThat(outOfOrder).isPositive();
    }

    @Test
    void shouldEmitEachKindOfPoisonInTurn() {
        List<DemoEvent> sent = run(new FaultInjector(new SessionScenario(7, 50, 20), 7, 0, 0, 0.5), 400);
        Set<String> kinds = new HashSet<>();
        sent.stream().filter(DemoEvent::isPoison).forEach(e -> kinds.add(e.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(
                "poison:not-json", "poison:missing-attribute", "poison:bad-version", "poison:bad-time");
    }

    @Test
    void shouldSendPoisonToTheTopicOfTheEventItAccompanies() {
        FaultInjector injector = new FaultInjector(new MixedScenario(7, new ScenarioSizes(50, 40, 3)), 7, 0, 0, 0.5);
        Set<String> poisonedTopics = new HashSet<>();
        long poisonNumber = 0;
        for (int i = 0; i < 3000; i++) {
            List<DemoEvent> batch = injector.next(Instant.now());
            if (!batch.get(0).isPoison()) {
                assertThat(batch).hasSize(1);
                continue;
            }
            DemoEvent poison = batch.get(0);
            DemoEvent real = batch.get(1);
            assertThat(poison.topic()).isEqualTo(real.topic());
            assertThat(poison.key()).isEqualTo("poison-" + ++poisonNumber);
            poisonedTopics.add(poison.topic());
            if (!poison.kind().equals("poison:not-json")) {
                JsonNode event = json(poison);
                assertThat(event.get("subject").asText()).isEqualTo(poison.key());
                assertThat(event.path("data").path("userId").asText("u-poison")).isEqualTo("u-poison");
                if (!poison.kind().equals("poison:missing-attribute")) {
                    assertThat(event.get("type").asText()).isEqualTo(real.kind());
                }
            }
        }
        assertThat(poisonedTopics).containsExactlyInAnyOrder(
                SessionScenario.TOPIC, ProfileScenario.TOPIC, RoomScenario.TOPIC, TenantScenario.TOPIC);
    }

    /** The same key on two topics, taking turns: a-1 on topic-a, a-1 on topic-b, then a-2 on each, and so on. */
    private static final class SameKeyOnTwoTopics implements Scenario {
        private int step;

        @Override
        public String name() {
            return "same-key";
        }

        @Override
        public DemoEvent next(Instant now) {
            String topic = step % 2 == 0 ? "topic-a" : "topic-b";
            String value = topic + " v" + (1 + step++ / 2);
            return new DemoEvent(topic, "k", value.getBytes(StandardCharsets.UTF_8), "test");
        }
    }

    @Test
    void shouldHoldBackPerTopicSoAnotherTopicsEventWithTheSameKeyDoesNotReleaseIt() {
        FaultInjector injector = new FaultInjector(new SameKeyOnTwoTopics(), 7, 0, 1, 0); // hold back whatever it can
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<DemoEvent> batch = injector.next(Instant.now());
            String topic = i % 2 == 0 ? "topic-a" : "topic-b";
            assertThat(batch).as("step %d", i).allMatch(e -> e.topic().equals(topic));
            batch.forEach(e -> sent.add(new String(e.value(), StandardCharsets.UTF_8)));
        }
        injector.drain().forEach(e -> sent.add(new String(e.value(), StandardCharsets.UTF_8)));
        assertThat(sent).containsExactly("topic-a v2", "topic-a v1", "topic-b v2", "topic-b v1",
                "topic-a v4", "topic-a v3", "topic-b v4", "topic-b v3");
    }
}
