package io.cachep.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals the {@link Process} API has no method for (STOP, CONT) with the shell's {@code kill} builtin, which
 * exists even on images without procps.
 *
 * <p>TERM and KILL go through {@link Process#destroy()} and {@link Process#destroyForcibly()} instead, which send
 * exactly those signals on Unix and cannot hit a recycled pid because the JVM has not reaped the child yet.
 */
final class UnixSignals {
    private UnixSignals() {}

    static void send(long pid, String signal) {
        String what = "kill -s " + signal + " " + pid;
        try {
            Process kill = new ProcessBuilder(List.of("sh", "-c", "kill -s \"$1\" \"$2\"", "devstack-kill", signal,
                    Long.toString(pid)))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new DevStackException(what + " did not return within 10 s");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new DevStackException(what + " failed: " + output);
            }
        } catch (IOException e) {
            throw new DevStackException("could not run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while running " + what, e);
        }
    }
}
