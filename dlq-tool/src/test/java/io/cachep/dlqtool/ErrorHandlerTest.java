package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.errors.CachepException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The error handler maps cachep's one error root by the exit code it carries, and anything else to exit 1. */
class ErrorHandlerTest {

    static final class Refused extends CachepException {
        Refused(int exitCode, String message) {
            super(exitCode, message);
        }
    }

    @Command(name = "thrower")
    record Thrower(RuntimeException failure) implements Callable<Integer> {
        @Override
        public Integer call() {
            throw failure;
        }
    }

    @Test
    void shouldPrintAUsageErrorAsItIsWithExitTwo() {
        CliRun.Result result = CliRun.run(new Thrower(new Refused(CachepException.USAGE, "bad (2 problems):\n  - a\n  - b")));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("bad (2 problems):\n  - a\n  - b\n");
    }

    @Test
    void shouldPrintAFailureOnOneLineAfterTheCommandWithExitOne() {
        CliRun.Result refused = CliRun.run(new Thrower(new Refused(CachepException.FAILED, "another rebuild is running")));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("thrower failed: another rebuild is running\n");

        CliRun.Result unknown = CliRun.run(new Thrower(new IllegalStateException("broken", new RuntimeException("why"))));
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("thrower failed: broken: why\n");
    }
}
