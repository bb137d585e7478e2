package io.cachep.projector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpEndpoints endpoints;

    @BeforeEach
    void start() throws Exception {
        registry.counter("cachep.events", "outcome", "applied").increment(3);
        registry.gauge("cachep.lag.records", 7);
        endpoints = new HttpEndpoints(0, registry, () -> new HttpEndpoints.Readiness(true, "READY"));
        endpoints.start();
    }

    @AfterEach
    void stop() {
        endpoints.close();
        registry.close();
    }

    @Test
    void metricsWithoutANameFilterReturnsEveryMetric() throws Exception {
        String body = get("/metrics");

        assertThat(body).contains("cachep_events_total{outcome=\"applied\"} 3").contains("cachep_lag_records 7");
    }

    @Test
    void metricsWithNameParametersReturnsOnlyThoseMetrics() throws Exception {
        String body = get("/metrics?name%5B%5D=cachep_events_total");

        assertThat(body).contains("cachep_events_total{outcome=\"applied\"} 3").doesNotContain("cachep_lag_records");
    }

    @Test
    void aNameMayBeTheFamilyWithoutItsSuffixAndSeveralMayBeAskedFor() throws Exception {
        String body = get("/metrics?name[]=cachep_events&name[]=cachep_lag_records");

        assertThat(body).contains("cachep_events_total{outcome=\"applied\"} 3").contains("cachep_lag_records 7");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoints.port() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
