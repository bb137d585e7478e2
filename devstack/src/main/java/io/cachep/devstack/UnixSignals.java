package io.cachep.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals the {@link Process} API has no method for (STOP, CONT) with the {@code kill} command.
 *
 * <p>TERM and KILL go through {@link Process#destroy()} and {@link Process#destroyForcibly()} instead, which send
 * exactly those signals on Unix and cannot hit a recycled pid because the JVM has not reaped the child yet.
 */
final class UnixSignals {
    private UnixSignals() {}

    static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new DevStackException("kill -" + signal + " " + pid + " did not return within 10 s");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new DevStackException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new DevStackException("could not run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while sending " + signal + " to " + pid, e);
        }
    }
}
