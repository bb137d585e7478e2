package io.cachep.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-cli} (installed with redis-server) for what devstack does to Redis itself: forming a cluster,
 * asking a node its role. devstack has no Redis client library on purpose (the modules under test bring their own).
 */
final class RedisCli {
    private RedisCli() {}

    /** The reply as text, or why not: a timeout or a non-zero exit is a {@link DevStackException}. */
    static String run(List<String> arguments, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(RedisExecutable.locate().resolveSibling("redis-cli").toString());
        command.addAll(arguments);
        Path outputFile = null;
        try {
            // Into a file, read after the exit: a reshard prints a line per slot and key, more than a pipe holds.
            outputFile = Files.createTempFile("redis-cli-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DevStackException("redis-cli " + String.join(" ", arguments) + " did not finish in "
                        + timeout.toSeconds() + " s");
            }
            String output = Files.readString(outputFile, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new DevStackException("redis-cli " + String.join(" ", arguments) + " failed (exit "
                        + process.exitValue() + "): " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new DevStackException("could not run redis-cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while running redis-cli", e);
        } finally {
            if (outputFile != null) {
                try {
                    Files.deleteIfExists(outputFile);
                } catch (IOException e) {
                    // a temporary file left behind: harmless
                }
            }
        }
    }

    /** A command to one local node, e.g. {@code CLUSTER INFO}. */
    static String ask(int port, Duration timeout, String... command) {
        List<String> arguments = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        arguments.addAll(List.of(command));
        return run(arguments, timeout);
    }

}
