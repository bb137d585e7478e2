package io.cachep.bench;

import io.cachep.projector.ProjectorMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One projector as its own JVM, as it runs in production: its CPU and memory are its own to measure, apart from the
 * bench's. It runs {@link ProjectorMain} (from the bench's class path, or another build's) with the given
 * {@code PROJECTOR_*} environment.
 */
final class ProjectorProcess implements AutoCloseable {
    /** The projector's heap limit in the bench, so its memory figures are those of a sized deployment. */
    static final String MAX_HEAP = "-Xmx512m";

    private final HttpClient http = HttpClient.newHttpClient();
    private final int httpPort;
    private final Process process;

    private ProjectorProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** @param extraArgs projector options such as {@code --set projector.inflight.max.events=2000} */
    /** @param jvmOptions extra JVM flags, e.g. to record a profile ({@code -XX:StartFlightRecording=...}) */
    /**
     * @param classPath  the projector's class path: the bench's own, or another build's to compare with
     *                   ({@code bin/bench --projector-classpath})
     */
    static ProjectorProcess start(Map<String, String> environment, String classPath, List<String> jvmOptions,
                                  List<String> extraArgs, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), MAX_HEAP));
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + ProjectorProcess.class.getResource("/projector-logback.xml"));
        command.add(ProjectorMain.class.getName());
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PROJECTOR_HTTP_PORT", Integer.toString(port));
        builder.environment().put("CLASSPATH", classPath);
        return new ProjectorProcess(builder.start(), port);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Events handled so far, by outcome ({@code cachep_events_total}); empty while the projector does not answer. */
    Map<String, Long> eventCounts() {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String line : metrics("cachep_events_total").split("\n")) {
            if (line.startsWith("cachep_events_total{")) {
                int at = line.indexOf("outcome=\"") + "outcome=\"".length();
                String outcome = line.substring(at, line.indexOf('"', at));
                counts.merge(outcome, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Long::sum);
            }
        }
        return counts;
    }

    long eventsHandled() {
        return eventCounts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The heap in use right after a full GC ({@code jcmd GC.run}): what the projector really keeps alive. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid() + " GC.run failed");
        }
        long used = 0;
        for (String line : metrics("jvm_memory_used_bytes").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return used;
    }

    /**
     * One metric of the projector's: only it is asked for, since a full scrape costs the projector CPU that the bench
     * would count against it (a build without the filter answers with everything, which the callers read the same).
     */
    private String metrics(String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics?name%5B%5D=" + name)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return ""; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** SIGTERM, then waits for the clean stop (it leaves its group, so the next run's members join at once). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
