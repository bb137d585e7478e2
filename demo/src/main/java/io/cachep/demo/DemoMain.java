package io.cachep.demo;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.producer.DemoProducer;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.ScenarioSizes;
import io.cachep.producer.scenario.Scenarios;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.text.DurationText;
import io.cachep.topics.TopicSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/demo}, the README's first command: starts devstack (a real KRaft broker and a real redis-server),
 * applies {@code topics/}, runs the projector with {@code rules/demo.yaml}, produces session events with duplicates,
 * reordering and poison for a while, waits until the projector has caught up, prints what happened, and stops it all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs cachep end to end on a throwaway Kafka broker and redis-server, then prints a summary.")
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "30s", description = "How long to produce events (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--rate", defaultValue = "300", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--scenario", defaultValue = "mixed",
            description = "sessions, profiles, rooms, tenants or mixed (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--rules-file", defaultValue = "rules/demo.yaml", description = "Projection rules (default: ${DEFAULT-VALUE}).")
    Path rulesFile;

    @Option(names = "--topics-dir", defaultValue = "topics", description = "Topic specs (default: ${DEFAULT-VALUE}).")
    Path topicsDir;

    @Option(names = "--catch-up-timeout", defaultValue = "120s", description = "How long to wait for the projector to catch up (default: ${DEFAULT-VALUE}).")
    String catchUpTimeout;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        Duration produceFor = DurationText.parse(duration);

        progress.step("starting devstack: a KRaft Kafka broker and a redis-server on free ports");
        try (DevStack stack = DevStack.start()) {
            progress.step("devstack up: Kafka " + stack.bootstrapServers() + " (pid " + stack.kafka().pid() + "), Redis "
                    + stack.redisUri() + " (pid " + stack.redis().pid() + ")");
            ProjectorConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of(
                    ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProjectorConfig.REDIS_URI_CONFIG, stack.redisUri(),
                    ProjectorConfig.RULES_FILE_CONFIG, rulesFile.toString(),
                    ProjectorConfig.APPLICATION_ID_CONFIG, "cachep-demo",
                    ProjectorConfig.HTTP_PORT_CONFIG, "0"));
            TopicSetup.applyDirectory(config.kafkaClientProperties(), topicsDir)
                    .forEach(change -> progress.step("topic " + change));

            try (ProjectorApp projector = ProjectorApp.create(config, rules);
                 ReadSide reader = new ReadSide(stack.redisUri(), rules.namespace(), projector)) {
                projector.start();
                progress.step("projector started; metrics at http://127.0.0.1:" + projector.httpPort() + "/metrics");
                progress.step("a service reads hot entries through cachep-client (an L1 kept true by invalidations)");
                DemoProducer.Summary produced = produce(stack, produceFor, progress, projector, reader);
                progress.step("produced " + produced.total() + " records; waiting for the projector to catch up");
                CatchUp.await(projector, produced.total(), DurationText.parse(catchUpTimeout), progress);
                out.print(new DemoReport(produced, projector.metrics(), config.redis(), rules).render());
                out.print('\n');
                out.print(reader.render());
                out.flush();
            }
            progress.step("stopping devstack");
        }
        return 0;
    }

    private DemoProducer.Summary produce(DevStack stack, Duration produceFor, Progress progress, ProjectorApp projector,
                                         ReadSide reader) {
        long seed = System.nanoTime();
        FaultInjector events = new FaultInjector(
                Scenarios.create(scenario, seed, new ScenarioSizes(300, 200, ScenarioSizes.DEFAULT_TENANTS)),
                seed, 0.05, 0.05, 0.01);
        progress.step(String.format("producing %s events at %.0f/s for %s (5%% duplicates, 5%% reordered, 1%% poison)",
                scenario, rate, duration));
        AtomicBoolean stop = new AtomicBoolean();
        try (Producer<String, byte[]> producer = DemoProducer.kafkaProducer(stack.bootstrapServers(), "cachep-demo-producer");
             Progress.Ticker ticker = progress.every(Duration.ofSeconds(5), () -> "processed so far: "
                     + CatchUp.processed(projector.metrics()) + " events; " + reader.progress())) {
            return new DemoProducer(producer).run(events, rate, produceFor, stop::get);
        }
    }
}
