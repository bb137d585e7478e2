package io.cachep.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/projector} as a child process a test can {@code kill -9} and start again with the same configuration. */
final class ProjectorProcess implements AutoCloseable {
    private final Map<String, String> environment;
    private final Path log;
    private final int httpPort;
    private Process process;
    private int starts;

    ProjectorProcess(Map<String, String> projectorEnvironment, Path logDirectory) throws IOException {
        this.httpPort = freePort();
        this.environment = new HashMap<>(projectorEnvironment);
        environment.put("PROJECTOR_HTTP_PORT", Integer.toString(httpPort));
        environment.put("CACHEP_NO_BUILD", "1");
        environment.putIfAbsent("CACHEP_JAVA_OPTS", "-Xmx512m");
        this.log = logDirectory;
    }

    ProjectorProcess start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of("..", "bin", "projector").toAbsolutePath().normalize().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.resolve("projector-" + (++starts) + ".log").toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** {@code kill -9}: no shutdown hook, no last commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a clean stop; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/projector did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** The port of its HTTP endpoints (/health, /ready, /metrics) on 127.0.0.1. */
    int httpPort() {
        return httpPort;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** GET a path of the projector's HTTP endpoints; empty while it does not answer. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The projector's heap in use right after a full GC ({@code jcmd GC.run}), from its own JVM metrics. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new AssertionError("jcmd GC.run failed");
        }
        long used = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return used;
    }

    /** The sum of {@code cachep_events_total} by outcome, scraped from /metrics. */
    Map<String, Long> eventCounts() throws IOException, InterruptedException {
        Map<String, Long> counts = new HashMap<>();
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith("cachep_events_total{")) {
                int at = line.indexOf("outcome=\"") + "outcome=\"".length();
                String outcome = line.substring(at, line.indexOf('"', at));
                long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                counts.merge(outcome, value, Long::sum);
            }
        }
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
