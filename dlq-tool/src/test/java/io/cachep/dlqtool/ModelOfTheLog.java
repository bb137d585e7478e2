package io.cachep.dlqtool;

import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The judge of the recovery tests: the reference projection of the whole log of the rules' topics as it is now, read
 * in the test's JVM, where the heap is large.
 *
 * @param events   the log's events (poison left out)
 * @param expected what Redis should hold, by key
 */
record ModelOfTheLog(long events, Map<String, EntrySnapshot> expected) {
    /** The log of a deployment's topics, projected with its rules file. */
    static ModelOfTheLog read(TestDeployment deployment) {
        return read(new RuleEngine(RulesFileLoader.load(Path.of(deployment.env().get("PROJECTOR_RULES_FILE")))),
                deployment.env().get("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS"));
    }

    static ModelOfTheLog read(RuleEngine engine, String bootstrapServers) {
        List<LoggedEvent> log = new ArrayList<>();
        try (LogReader reader = new LogReader(Map.of("bootstrap.servers", bootstrapServers))) {
            LoggedEvents events = new LoggedEvents();
            reader.readUpTo(reader.endOffsets(engine.rules().topics()), record -> events.of(record).ifPresent(log::add),
                    n -> {});
        }
        return new ModelOfTheLog(log.size(), new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli()));
    }
}
