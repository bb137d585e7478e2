package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.ProjectorConfig;
import io.cachep.envelope.CloudEventReader;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.producer.DemoProducer;
import io.cachep.rules.RuleEngine;
import io.cachep.rulesfile.RulesFileLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        List<String> kinds = sent.stream().filter(DemoEvent::isPoison).map(DemoEvent::kind).toList();

        assertThat(kinds).hasSizeGreaterThan(2 * FaultInjector.POISON_KINDS.size());
        for (int i = 0; i < kinds.size(); i++) {
            assertThat(kinds.get(i)).as("poison record %d", i + 1)
                    .isEqualTo("poison:" + FaultInjector.POISON_KINDS.get(i % FaultInjector.POISON_KINDS.size()));
        }
        assertThat(FaultInjector.POISON_KINDS).containsExactly("empty", "not-json", "json-array",
                "missing-attribute:specversion", "missing-attribute:id", "missing-attribute:type",
                "missing-attribute:source", "missing-attribute:subject", "bad-version", "negative-version", "bad-time",
                "too-large", "unknown-type", "missing-template-field");
    }

    /** What the projector does with each kind: the reason it dead-letters it for. */
    private static final Map<String, PoisonReason> EXPECTED_REASON = Map.ofEntries(
            Map.entry("poison:empty", PoisonReason.UNDECODABLE),
            Map.entry("poison:not-json", PoisonReason.UNDECODABLE),
            Map.entry("poison:json-array", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:missing-attribute:specversion", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:missing-attribute:id", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:missing-attribute:type", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:missing-attribute:source", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:missing-attribute:subject", PoisonReason.BAD_ENVELOPE),
            Map.entry("poison:bad-version", PoisonReason.BAD_VERSION),
            Map.entry("poison:negative-version", PoisonReason.BAD_VERSION),
            Map.entry("poison:bad-time", PoisonReason.BAD_TIME),
            Map.entry("poison:too-large", PoisonReason.VALUE_TOO_LARGE),
            Map.entry("poison:unknown-type", PoisonReason.UNKNOWN_TYPE),
            Map.entry("poison:missing-template-field", PoisonReason.TEMPLATE_FIELD_MISSING));

    /** The projector's default projector.max.event.bytes: a larger value is dead-lettered before it is parsed. */
    private static final int MAX_EVENT_BYTES =
            (Integer) ProjectorConfig.DEFINITION.defaultValues().get(ProjectorConfig.MAX_EVENT_BYTES_CONFIG);

    private static final RuleEngine DEMO_RULES = new RuleEngine(RulesFileLoader.load(Path.of("..", "rules", "demo.yaml")));
    private static final CloudEventReader READER = new CloudEventReader();

    /** Reads and projects a record as the projector does; the poison that stops it, or null when it would apply. */
    private static PoisonEventException rejection(DemoEvent record) {
        try {
            EventEnvelope event = READER.read(record.key().getBytes(StandardCharsets.UTF_8), record.value(), null);
            assertThat(DEMO_RULES.project(record.topic(), event)).isNotEmpty();
            return null;
        } catch (PoisonEventException poison) {
            return poison;
        }
    }

    @Test
    void shouldEmitPoisonTheProjectorRejectsForTheReasonOfItsKind() {
        FaultInjector injector = new FaultInjector(new MixedScenario(7, new ScenarioSizes(50, 40, 3)), 7, 0, 0, 0.5);
        Map<String, Set<String>> topicsByKind = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            for (DemoEvent record : injector.next(Instant.now())) {
                if (!record.isPoison()) {
                    assertThat(rejection(record)).as("a real event, %s", record.kind()).isNull();
                    continue;
                }
                topicsByKind.computeIfAbsent(record.kind(), k -> new HashSet<>()).add(record.topic());
                PoisonEventException poison = rejection(record);
                if (record.kind().equals("poison:too-large")) {
                    assertThat(poison).as("a too-large record is otherwise a good event").isNull();
                    assertThat(record.value().length).as("over the projector's limit, within what the demo sends")
                            .isGreaterThan(MAX_EVENT_BYTES).isLessThan(DemoProducer.MAX_REQUEST_BYTES - 1024);
                    continue;
                }
                assertThat(poison).as("%s on %s is rejected", record.kind(), record.topic()).isNotNull();
                assertThat(poison.reason()).as("reason for %s on %s", record.kind(), record.topic())
                        .isEqualTo(EXPECTED_REASON.get(record.kind()));
                assertThat(record.value().length).isLessThanOrEqualTo(MAX_EVENT_BYTES);
                if (record.kind().startsWith("poison:missing-attribute:")) {
                    String attribute = record.kind().substring("poison:missing-attribute:".length());
                    assertThat(poison.getMessage()).contains("required attribute '" + attribute + "' is missing");
                }
            }
        }
        assertThat(topicsByKind.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED_REASON.keySet());
        assertThat(topicsByKind.values().stream().flatMap(Set::stream).distinct())
                .containsExactlyInAnyOrder(SessionScenario.TOPIC, ProfileScenario.TOPIC, RoomScenario.TOPIC, TenantScenario.TOPIC);
        assertThat(topicsByKind.get("poison:missing-template-field")).doesNotContain(TenantScenario.TOPIC);
    }

    @Test
    void shouldGiveTheMissingTemplateFieldTurnToTheNextKindOnTheTenantTopicWhoseRuleRendersNoDataField() {
        List<DemoEvent> sent = run(new FaultInjector(new TenantScenario(7, 3), 7, 0, 0, 0.5), 400);
        List<String> kinds = sent.stream().filter(DemoEvent::isPoison).map(DemoEvent::kind).toList();
        List<String> tenantKinds = FaultInjector.POISON_KINDS.stream()
                .filter(kind -> !kind.equals("missing-template-field")).map(kind -> "poison:" + kind).toList();

        assertThat(kinds).hasSizeGreaterThan(2 * tenantKinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            assertThat(kinds.get(i)).as("poison record %d", i + 1).isEqualTo(tenantKinds.get(i % tenantKinds.size()));
        }
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
            String kind = poison.kind();
            if (kind.equals("poison:empty") || kind.equals("poison:not-json")) {
                continue;
            }
            JsonNode event = json(poison);
            if (kind.equals("poison:json-array")) {
                event = event.get(0);
            }
            if (!kind.equals("poison:missing-attribute:subject")) {
                assertThat(event.get("subject").asText()).as(kind).isEqualTo(poison.key());
            }
            assertThat(event.path("data").path("userId").asText("u-poison")).isEqualTo("u-poison");
            if (!Set.of("poison:missing-attribute:type", "poison:unknown-type", "poison:missing-template-field").contains(kind)) {
                assertThat(event.get("type").asText()).as(kind).isEqualTo(real.kind());
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
