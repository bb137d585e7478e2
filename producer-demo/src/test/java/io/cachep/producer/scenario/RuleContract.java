package io.cachep.producer.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What the demo's projection rules need of each event type: which topic it is on and which data fields the rule's
 * templates read. Mirrors the rules contract (session-started ... tenant-flushed) so the scenarios are tested
 * against it rather than against themselves.
 */
final class RuleContract {
    /** @param text data fields that must be non-empty strings; @param numbers data fields that must be numbers */
    record Needs(String topic, List<String> text, List<String> numbers) {}

    private static final List<String> SESSION_FIELDS = List.of("userId", "device", "tenantId", "startedAt");

    static final Map<String, Needs> BY_TYPE = Map.of(
            "com.example.session.started", new Needs("session-events", SESSION_FIELDS, List.of()),
            "com.example.session.refreshed", new Needs("session-events", SESSION_FIELDS, List.of()),
            "com.example.session.ended", new Needs("session-events", SESSION_FIELDS, List.of()),
            "com.example.profile.updated", new Needs("profile-events", List.of(), List.of()),
            "com.example.profile.snapshot", new Needs("profile-events", List.of(), List.of()),
            "com.example.room.joined", new Needs("room-events", List.of("userId"), List.of("joinedAtMillis")),
            "com.example.room.left", new Needs("room-events", List.of("userId"), List.of()),
            "com.example.tenant.cache-flushed", new Needs("tenant-events", List.of(), List.of()));

    private RuleContract() {}

    static void assertEveryEventFeedsItsRule(List<ScenarioRun.Emitted> events) {
        for (ScenarioRun.Emitted e : events) {
            Needs needs = BY_TYPE.get(e.type());
            assertThat(needs).as("a rule for type %s", e.type()).isNotNull();
            assertThat(e.topic()).as("topic of %s", e.event()).isEqualTo(needs.topic());
            assertThat(e.record().kind()).isEqualTo(e.type());
            JsonNode data = e.data();
            assertThat(data.isObject()).as("data of %s", e.event()).isTrue();
            needs.text().forEach(field -> assertThat(data.path(field).isTextual() && !data.path(field).asText().isEmpty())
                    .as("%s has text %s", e.event(), field).isTrue());
            needs.numbers().forEach(field -> assertThat(data.path(field).isNumber())
                    .as("%s has number %s", e.event(), field).isTrue());
        }
    }
}
