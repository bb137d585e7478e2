package io.cachep.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument checks, which answer before any connection to Kafka is made. */
class ProducerDemoMainTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ProducerDemoMain());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldRejectAnUnknownScenarioListingTheKnownOnes() {
        assertThat(run("--bootstrap-servers", "localhost:1", "--scenario", "chat")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'chat'; available: sessions, profiles, rooms, tenants, mixed");
    }

    @Test
    void shouldRejectNoTenants() {
        assertThat(run("--bootstrap-servers", "localhost:1", "--scenario", "mixed", "--tenants", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--tenants must be at least 1");
    }

    @Test
    void shouldDocumentTheScenariosAndTenantsInItsHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ProducerDemoMain());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " "); // picocli wraps long descriptions
        assertThat(help).contains("sessions, profiles, rooms, tenants or mixed", "--tenants=<tenants> Tenants t-1..t-N",
                "(default: 5)");
    }
}
