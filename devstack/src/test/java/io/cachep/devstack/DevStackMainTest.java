package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DevStackMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = DevStackMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: devstack").contains("up");
    }

    @Test
    void shouldPrintAVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("devstack ");
    }

    @Test
    void shouldDescribeUpOptions() {
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString()).contains("--redis-port").contains("--kafka-port");
    }

    @Test
    void shouldExitTwoWithoutASubcommandOrOnABadOption() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: devstack");

        assertThat(run("up", "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-option");
    }

    @Test
    void shouldPointTheCliLoggingAtABundledConfig() {
        assertThat(DevStackMain.class.getClassLoader().getResource(DevStackMain.LOGBACK_CONFIG)).isNotNull();
    }
}
