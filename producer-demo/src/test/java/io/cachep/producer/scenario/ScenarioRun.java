package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A scenario's output over many steps at a fixed, advancing clock, each record with its CloudEvent parsed. */
final class ScenarioRun {
    static final Instant START = Instant.parse("2025-03-01T09:00:00Z");
    /** Not a round number, so event times carry varying milliseconds. */
    static final Duration STEP = Duration.ofMillis(137);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record as sent and as the projector will read it. */
    record Emitted(DemoEvent record, JsonNode event) {
        String topic() {
            return record.topic();
        }

        String type() {
            return event.path("type").asText();
        }

        String subject() {
            return event.path("subject").asText();
        }

        long version() {
            return event.path("entityversion").asLong();
        }

        JsonNode data() {
            return event.path("data");
        }

        /** The event without its id, which is random by design; everything else should follow from the seed. */
        String withoutId() {
            ObjectNode copy = event.deepCopy();
            copy.remove("id");
            return record.topic() + " " + record.key() + " " + record.kind() + " " + copy;
        }
    }

    private ScenarioRun() {}

    static List<Emitted> run(Scenario scenario, int steps) {
        List<Emitted> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            DemoEvent record = scenario.next(START.plus(STEP.multipliedBy(i)));
            out.add(new Emitted(record, parse(record)));
        }
        return out;
    }

    static JsonNode parse(DemoEvent record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(record.value()), e);
        }
    }

    static List<Emitted> ofType(List<Emitted> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }
}
