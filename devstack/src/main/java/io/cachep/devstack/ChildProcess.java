package io.cachep.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of one child process (a redis-server or a broker JVM) with its watchdog.
 *
 * <p>A restart is a new {@code ChildProcess} on the same directory. The child's stdout and stderr go to a log file in
 * its directory, never to a pipe: nobody would drain a pipe, and a full pipe blocks the child.
 */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final ChildProcessReaper reaper;
    private final Path logFile;

    private ChildProcess(String name, Process process, ChildProcessReaper reaper, Path logFile) {
        this.name = name;
        this.process = process;
        this.reaper = reaper;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code workDir}, appending its output to {@code logFile}, and arms a watchdog that
     * kills it and removes {@code workDir} if this JVM dies.
     */
    static ChildProcess launch(String name, List<String> command, Map<String, String> environment, Path workDir,
            Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DevStackException("could not start " + name + ": " + e.getMessage(), e);
        }
        ChildProcessReaper reaper;
        try {
            reaper = ChildProcessReaper.arm(process.pid(), workDir);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        // A child that dies on its own must not be signalled by pid later: the pid may be reused by then.
        process.onExit().thenRun(reaper::childExited);
        return new ChildProcess(name, process, reaper, logFile);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    String logTail() {
        return LogTail.of(logFile, 30);
    }

    /** Waits for the child to exit; doubles as the pause between polls of a readiness check. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for " + name, e);
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    void pause() {
        requireAlive("pause");
        UnixSignals.send(pid(), "STOP");
    }

    void resume() {
        requireAlive("resume");
        UnixSignals.send(pid(), "CONT");
    }

    /** SIGTERM, up to {@code grace} for an orderly exit, then SIGKILL. Idempotent; false if it was not running. */
    boolean terminate(Duration grace) {
        boolean wasAlive = process.isAlive();
        if (wasAlive) {
            // A stopped process keeps a TERM pending until it is continued: continue it so the grace period counts.
            try {
                UnixSignals.send(pid(), "CONT");
            } catch (DevStackException ignored) {
                // It exited in the meantime.
            }
            process.destroy();
            if (!awaitExit(grace)) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(30));
            }
        }
        reaper.disarm();
        return wasAlive;
    }

    /** SIGKILL, then wait until the kernel has reaped it. Idempotent. */
    void kill() {
        process.destroyForcibly();
        if (!awaitExit(Duration.ofSeconds(30))) {
            throw new DevStackException(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
        }
        reaper.disarm();
    }

    private void requireAlive(String action) {
        if (!process.isAlive()) {
            throw new IllegalStateException("cannot " + action + " " + name + ": it is not running");
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
