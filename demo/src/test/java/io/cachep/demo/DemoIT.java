package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a user runs it (shortened to a few seconds of events): it prints the summary with
 * events applied and leaves no broker or redis-server behind, and says nothing but its own progress and tables.
 */
class DemoIT {

    @Test
    void shouldProjectEventsPrintTheSummaryAndLeaveNoProcessBehind(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of("..", "bin", "demo").toAbsolutePath().normalize().toString(), "--duration", "5s", "--rate", "200")
                .directory(Path.of("..").toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("CACHEP_NO_BUILD", "1");
        Process demo = builder.start();
        boolean exited = demo.waitFor(240, TimeUnit.SECONDS);
        if (!exited) {
            demo.destroyForcibly();
        }
        assertThat(exited).as("the demo finishes; stderr:%n%s", Files.readString(err)).isTrue();
        assertThat(demo.exitValue()).as("exit code; stderr:%n%s", Files.readString(err)).isZero();

        String report = Files.readString(out);
        String progress = Files.readString(err);
        assertThatOutputIsTheDemosOwn(report, progress);
        assertThat(count(report, "applied")).isPositive();
        assertThat(count(report, "entries")).isPositive();
        assertThat(count(report, "dead-lettered \\(dlq\\)")).isPositive();
        assertThat(report).contains("demo:session:{s-");
        // The read side: a reader through cachep-client, served mostly by its L1, which invalidations kept true.
        assertThat(count(report, "reads")).isPositive();
        assertThat(count(report, "invalidations received")).isPositive();
        assertThat(count(report, "read errors")).isZero();
        assertThat(count(report, "L1 copies differing from Redis \\(sample\\)")).isZero();
        assertThat(report).containsPattern("projector write -> invalidation p99 +[0-9.]+ ms");
        assertThat(progress).contains("stopping devstack");
        Matcher pids = Pattern.compile("\\(pid (\\d+)\\)").matcher(progress);
        List<Long> started = pids.results().map(r -> Long.parseLong(r.group(1))).toList();
        assertThat(started).as("the broker's and redis-server's pids are reported").hasSize(2);
        assertThat(started).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("process %d is gone", pid).isNotEqualTo(java.util.Optional.of(true)));
    }

    /**
     * What once came first instead: logback's own status lines (printed when it finds more than one
     * {@code logback.xml} on the class path), the build's ANSI escapes, and a Kafka Streams warning about a setting.
     */
    private static void assertThatOutputIsTheDemosOwn(String out, String err) {
        for (String stream : List.of(out, err)) {
            assertThat(stream).as("no logback status lines:%n%s", stream)
                    .doesNotContainPattern("\\|-(INFO|WARN|ERROR) in ");
            assertThat(stream).as("no ANSI escapes:%n%s", stream).doesNotContain("\u001B[");
            assertThat(stream.lines().filter(line -> line.contains("WARN")
                    && line.contains("processing.exception.handler")))
                    .as("no warning about the processing exception handler:%n%s", stream).isEmpty();
        }
        assertThat(out.lines().filter(line -> !line.isBlank()).findFirst())
                .as("stdout starts with the report:%n%s", out)
                .hasValueSatisfying(first -> assertThat(first).startsWith("produced"));
    }

    private static long count(String report, String label) {
        Matcher m = Pattern.compile("(?m)^" + label + "\\s+(\\d+)\\s*$").matcher(report);
        assertThat(m.find()).as("the report has a '%s' row:%n%s", label, report).isTrue();
        return Long.parseLong(m.group(1));
    }
}
