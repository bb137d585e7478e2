package io.cachep.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.EnvironmentNames;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.ScenarioSizes;
import io.cachep.producer.scenario.Scenarios;
import io.cachep.text.DurationText;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import io.cachep.cli.OutputFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/producer-demo}: emits a realistic event stream at a chosen rate, with optional faults. */
@Command(name = "producer-demo", mixinStandardHelpOptions = true,
        description = "Emits CloudEvents for a scenario at a steady rate, keyed by subject, with optional duplicates,"
                + " reordering and poison records; prints what it sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:sent everything", "1:sending failed", "2:bad arguments"})
public final class ProducerDemoMain implements Callable<Integer> {
    static final String BOOTSTRAP_ENV = "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS";
    static final String DEVSTACK_BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    @Option(names = "--scenario", defaultValue = "sessions",
            description = "Which events: sessions, profiles, rooms, tenants or mixed (all of them, sharing users and"
                    + " tenants) (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--rate", defaultValue = "200", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", description = "How long to run, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--duplicates", defaultValue = "0", description = "Fraction of events sent twice, 0..1.")
    double duplicates;

    @Option(names = "--reorder", defaultValue = "0", description = "Fraction of events sent after their entity's next event, 0..1.")
    double reorder;

    @Option(names = "--poison", defaultValue = "0",
            description = "Extra poison records per event, 0..1, each kind in turn: an empty value, not JSON, a JSON"
                    + " array, each required attribute missing, a bad or negative entityversion, a bad time, a value"
                    + " over 1 MiB, an unknown type, a data field a rule renders missing.")
    double poison;

    @Option(names = "--sessions", defaultValue = "1000", description = "Sessions open at once in the steady state (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--users", defaultValue = "500",
            description = "Distinct users u-1..u-N, owning sessions, profiles and room seats (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--tenants", defaultValue = "" + ScenarioSizes.DEFAULT_TENANTS,
            description = "Tenants t-1..t-N the users belong to (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--seed", description = "Random seed, for a repeatable stream (default: the clock).")
    Long seed;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $" + BOOTSTRAP_ENV + ", else $" + DEVSTACK_BOOTSTRAP_ENV + ")."
                    + " Every other PROJECTOR_KAFKA_* variable (SASL, TLS, tuning) is handed to the producer, as the"
                    + " projector hands it to its clients.")
    String bootstrapServers;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    public ProducerDemoMain() {
        this(System.getenv());
    }

    ProducerDemoMain(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProducerDemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String servers = bootstrapServers != null ? bootstrapServers
                : environment.getOrDefault(BOOTSTRAP_ENV, environment.get(DEVSTACK_BOOTSTRAP_ENV));
        if (servers == null || servers.isBlank()) {
            err.println("no Kafka given: pass --bootstrap-servers or set " + BOOTSTRAP_ENV);
            return 2;
        }
        Duration runFor;
        FaultInjector events;
        try {
            runFor = DurationText.parse(duration);
            long actualSeed = seed != null ? seed : System.nanoTime();
            ScenarioSizes sizes = new ScenarioSizes(sessions, users, tenants);
            events = new FaultInjector(Scenarios.create(scenario, actualSeed, sizes), actualSeed, duplicates, reorder, poison);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (rate <= 0) {
            err.println("--rate must be positive, was " + rate);
            return 2;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        try (Producer<String, byte[]> producer = DemoProducer.kafkaProducer(servers, "cachep-producer-demo",
                EnvironmentNames.kafkaClientProperties(environment))) {
            err.printf("producing %s events at %.0f/s for %s to %s%n", scenario, rate, duration, servers);
            err.flush();
            DemoProducer.Summary summary = new DemoProducer(producer).run(events, rate, runFor, stop::get);
            print(summary, out);
            return 0;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private void print(DemoProducer.Summary summary, PrintWriter out) throws Exception {
        if (output == OutputFormat.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("total", summary.total());
            json.put("elapsedMillis", summary.elapsed().toMillis());
            json.put("byKind", summary.byKind());
            out.println(new ObjectMapper().writeValueAsString(json));
        } else {
            TextTable table = new TextTable("kind", "records");
            summary.byKind().forEach(table::row);
            table.row("total", summary.total());
            out.print(table.render());
            out.printf("%.1f s, %.0f records/s%n", summary.elapsed().toMillis() / 1000.0,
                    summary.total() / Math.max(0.001, summary.elapsed().toMillis() / 1000.0));
        }
        out.flush();
    }
}
