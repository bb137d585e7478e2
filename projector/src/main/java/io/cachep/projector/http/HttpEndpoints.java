package io.cachep.projector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text), {@code /health} (the process is alive) and {@code /ready} (200 when the
 * projector is processing; 503 with the reason when it is not). The JDK's own HTTP server: no framework needed.
 *
 * <p>{@code /metrics?name[]=cachep_events_total&name[]=...} returns only the named metrics, as Prometheus's own
 * clients do: a scrape of everything (Kafka Streams registers several hundred meters) costs the projector a few ms of
 * CPU, which a script polling one counter every second should not pay.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";
    private final HttpServer server;

    /** What /ready reports: ready or not, and a one-line reason. */
    public record Readiness(boolean ready, String message) {}

    public HttpEndpoints(int port, PrometheusMeterRegistry registry, Supplier<Readiness> readiness) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cachep-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange -> {
            Set<String> names = MetricNames.requested(exchange.getRequestURI().getRawQuery());
            respond(exchange, 200, PROMETHEUS_TEXT,
                    names.isEmpty() ? registry.scrape() : registry.scrape(PROMETHEUS_TEXT, names));
        });
        server.createContext("/health", exchange -> respond(exchange, 200, "text/plain", "UP\n"));
        server.createContext("/ready", exchange -> {
            Readiness r = readiness.get();
            respond(exchange, r.ready() ? 200 : 503, "text/plain", r.message() + "\n");
        });
    }

    public void start() {
        server.start();
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
