package io.cachep.projector.topology;

import io.cachep.apply.ApplyOutcome;
import io.cachep.errors.PoisonReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The projector's own meters. Labels are bounded sets (event types named by the rules, outcomes, reasons): an event
 * type no rule knows is counted as {@code unknown}, and entity ids never become labels.
 */
public final class ProjectionMetrics {
    public static final String EVENTS = "cachep.events";
    public static final String DEAD_LETTERS = "cachep.dlq.records";
    public static final String APPLY_LATENCY = "cachep.redis.apply";
    public static final String DLQ_OUTCOME = "dlq";
    public static final String IGNORED_OUTCOME = "ignored";
    static final String UNKNOWN_TYPE = "unknown";

    private final MeterRegistry registry;
    private final Map<String, String> rulesByType;
    private final Timer applyLatency;
    /** Counters by type and outcome: registering (finding) a meter per event cost microseconds on the hot path. */
    private final Map<String, Map<String, Counter>> eventCounters = new ConcurrentHashMap<>();

    /** @param rulesByType every event type the rules know, with the names of the rules it matches (a label) */
    public ProjectionMetrics(MeterRegistry registry, Map<String, String> rulesByType) {
        this.registry = registry;
        this.rulesByType = Map.copyOf(rulesByType);
        this.applyLatency = Timer.builder(APPLY_LATENCY)
                .description("Time from sending an event's fenced writes to Redis to their acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void applied(String type, ApplyOutcome outcome, Duration latency) {
        applyLatency.record(latency);
        events(type, outcome.label()).increment();
    }

    public void deadLettered(String type, PoisonReason reason) {
        events(type, DLQ_OUTCOME).increment();
        Counter.builder(DEAD_LETTERS).description("Records sent to the dead-letter topic, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }

    /** An event of a type no rule matches, skipped on purpose ({@code projector.unknown.types=ignore}). */
    public void ignored(String type) {
        events(type, IGNORED_OUTCOME).increment();
    }

    /** Events counted with this outcome label so far, over every type. */
    public long count(String outcome) {
        return (long) registry.find(EVENTS).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Events finished with so far, whatever the outcome (written, fenced off, expired, dead-lettered or ignored). */
    public long finished() {
        return (long) registry.find(EVENTS).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter events(String type, String outcome) {
        boolean known = type != null && rulesByType.containsKey(type);
        String label = known ? type : UNKNOWN_TYPE;
        return eventCounters.computeIfAbsent(label, k -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, k ->
                Counter.builder(EVENTS).description("Events processed, by rule, type and outcome")
                        .tag("type", label)
                        .tag("rule", known ? rulesByType.get(type) : UNKNOWN_TYPE)
                        .tag("outcome", outcome).register(registry));
    }
}
