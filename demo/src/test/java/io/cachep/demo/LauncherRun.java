package io.cachep.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a {@code bin/} launcher as a user runs it: a process of its own, configured only by its environment,
 * its stdout and stderr kept whole (tests search them).
 *
 * @param command the launcher and its arguments, for messages
 */
record LauncherRun(List<String> command, int exit, String out, String err) {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Runs {@code bin/<launcher> args...} on the build under test and waits up to two minutes for it to exit. */
    static LauncherRun of(Path workDir, Map<String, String> environment, String launcher, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of("..", "bin", launcher).toAbsolutePath().normalize().toString());
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, launcher + "-", ".out");
        Path err = Files.createTempFile(workDir, launcher + "-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("CACHEP_NO_BUILD", "1");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(launcher + " " + String.join(" ", args) + " did not exit within " + TIMEOUT
                    + "; stderr:\n" + Files.readString(err));
        }
        return new LauncherRun(List.copyOf(command.subList(1, command.size())), process.exitValue(),
                Files.readString(out), Files.readString(err));
    }

    /** For assertion messages: everything the run said. */
    String both() {
        return String.join(" ", command) + " exited " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
