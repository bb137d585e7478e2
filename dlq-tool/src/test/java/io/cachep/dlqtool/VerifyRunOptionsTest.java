package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify --run's usage errors: exit 2 and one line naming the problem, before it touches Kafka or Redis. */
class VerifyRunOptionsTest {
    private static CliRun.Result verify(Path dir, String... args) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                namespace: demo
                rules:
                  - name: started
                    topic: events
                    type: started
                    mutations:
                      - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
                """);
        // Nothing listens on port 1: the checks must come before any connection.
        return CliRun.run(new VerifyCommand(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "PROJECTOR_REDIS_URI", "redis://127.0.0.1:1", "PROJECTOR_RULES_FILE", rules.toString())), args);
    }

    @Test
    void shouldRefuseARunWithRepairOrAKeptStateAsNotSupportedYet(@TempDir Path dir) throws Exception {
        CliRun.Result repair = verify(dir, "--run", "nightly-1", "--repair", "--execute");
        assertThat(repair.exit()).as(repair.both()).isEqualTo(2);
        assertThat(repair.err()).contains("--run with --repair is not supported yet");

        CliRun.Result kept = verify(dir, "--run", "nightly-1", "--state-dir", dir.resolve("state").toString());
        assertThat(kept.exit()).as(kept.both()).isEqualTo(2);
        assertThat(kept.err()).contains("--run with --state-dir is not supported yet");
    }

    @Test
    void shouldRefuseSharesWithoutARunAndBadRunIdsOrShareCounts(@TempDir Path dir) throws Exception {
        assertThat(verify(dir, "--shares", "4").err()).contains("--shares needs --run");
        assertThat(verify(dir, "--run", "a b").err()).contains("--run must be letters, digits");
        CliRun.Result zero = verify(dir, "--run", "r", "--shares", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--shares must be between 1 and 1024, was 0");
    }

    @Test
    void shouldDescribeTheRunOptionsInItsHelp(@TempDir Path dir) throws Exception {
        CliRun.Result help = verify(dir, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--run=ID").contains("--shares=N");
    }
}
