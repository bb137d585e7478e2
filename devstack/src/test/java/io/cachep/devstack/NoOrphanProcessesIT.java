package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code devstack up} in a child JVM, as a user would, and checks that its broker and redis-server (and their
 * directories) go away both when it is stopped politely and when it is killed with SIGKILL.
 */
class NoOrphanProcessesIT {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration GONE_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Process launcher;
    private Path launcherStderr;

    @AfterEach
    void killLauncher() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroyForcibly();
            launcher.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStopBrokerAndRedisAndExitZeroOnSigterm() throws Exception {
        Map<String, String> up = launchDevstackUp();
        long kafkaPid = Long.parseLong(up.get("KAFKA_PID"));
        long redisPid = Long.parseLong(up.get("REDIS_PID"));
        List<Path> dirs = List.of(workingDirectory(kafkaPid), workingDirectory(redisPid));

        launcher.destroy(); // SIGTERM

        assertThat(launcher.waitFor(GONE_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("launcher exited").isTrue();
        assertThat(launcher.exitValue()).as("exit code; stderr:%n%s", stderr()).isZero();
        assertGone(kafkaPid, redisPid, dirs);
    }

    @Test
    void shouldStopBrokerAndRedisWhenTheLauncherIsKilledWithSigkill() throws Exception {
        Map<String, String> up = launchDevstackUp();
        long kafkaPid = Long.parseLong(up.get("KAFKA_PID"));
        long redisPid = Long.parseLong(up.get("REDIS_PID"));
        List<Path> dirs = List.of(workingDirectory(kafkaPid), workingDirectory(redisPid));

        launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the watchdogs can help

        assertThat(launcher.waitFor(GONE_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("launcher exited").isTrue();
        assertGone(kafkaPid, redisPid, dirs);
    }

    @Test
    void shouldStopTheBrokerAndExitOneWhenRedisDies() throws Exception {
        Map<String, String> up = launchDevstackUp();
        long kafkaPid = Long.parseLong(up.get("KAFKA_PID"));
        long redisPid = Long.parseLong(up.get("REDIS_PID"));
        List<Path> dirs = List.of(workingDirectory(kafkaPid), workingDirectory(redisPid));

        ProcessHandle.of(redisPid).orElseThrow().destroyForcibly();

        assertThat(launcher.waitFor(GONE_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("launcher exited").isTrue();
        assertThat(launcher.exitValue()).isEqualTo(1);
        assertThat(stderr()).contains("devstack: redis-server exited unexpectedly");
        assertGone(kafkaPid, redisPid, dirs);
    }

    /** Starts {@code DevStackMain up} and returns its KEY=value lines once all four are printed. */
    private Map<String, String> launchDevstackUp() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        launcherStderr = tmp.resolve("launcher.err");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                DevStackMain.class.getName(), "up")
                .redirectError(launcherStderr.toFile());
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        launcher = builder.start();

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The launcher is gone; the deadline below reports it.
            }
        }, "devstack-up-stdout");
        reader.setDaemon(true);
        reader.start();

        Map<String, String> values = new HashMap<>();
        Deadline deadline = Deadline.after(START_DEADLINE);
        while (values.size() < 5) {
            String line = lines.poll(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            assertThat(line).as("KEY=value line within %s (have %s); stderr:%n%s", START_DEADLINE, values, stderr())
                    .isNotNull();
            int eq = line.indexOf('=');
            assertThat(eq).as("stdout line '%s'", line).isPositive();
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(values).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS", "REDIS_URI", "REDIS_CLUSTER", "KAFKA_PID",
                "REDIS_PID");
        assertThat(values.get("REDIS_CLUSTER")).isEqualTo("false");
        assertThat(values.get("KAFKA_BOOTSTRAP_SERVERS")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(values.get("REDIS_URI")).matches("redis://127\\.0\\.0\\.1:\\d+");
        assertThat(isAlive(Long.parseLong(values.get("KAFKA_PID")))).isTrue();
        assertThat(isAlive(Long.parseLong(values.get("REDIS_PID")))).isTrue();
        return values;
    }

    /** Each child runs in its own temp directory; /proc tells which, so the test can check it is removed. */
    private static Path workingDirectory(long pid) throws IOException {
        Path dir = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        assertThat(dir.getFileName().toString()).startsWith("cachep-");
        return dir;
    }

    private void assertGone(long kafkaPid, long redisPid, List<Path> dirs) {
        await().atMost(GONE_DEADLINE).untilAsserted(() -> {
            assertThat(isAlive(kafkaPid)).as("broker pid %d alive", kafkaPid).isFalse();
            assertThat(isAlive(redisPid)).as("redis-server pid %d alive", redisPid).isFalse();
            assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
        });
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private String stderr() {
        try {
            return launcherStderr == null ? "" : Files.readString(launcherStderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
