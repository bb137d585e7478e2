package io.cachep.client;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exports a client's {@link ClientStats} to Micrometer. Micrometer is an optional dependency: this class is loaded
 * only when the service gives the client a registry.
 */
final class MicrometerBinding {
    private MicrometerBinding() {}

    static void bind(Object registryObject, ClientStats stats, String namespace) {
        MeterRegistry registry = (MeterRegistry) registryObject;
        reads(registry, stats.l1Hits, namespace, "l1", "hit");
        reads(registry, stats.l1Misses, namespace, "l1", "miss");
        reads(registry, stats.l1Stale, namespace, "l1", "stale");
        reads(registry, stats.redisHits, namespace, "redis", "hit");
        reads(registry, stats.redisMisses, namespace, "redis", "miss");
        reads(registry, stats.redisErrors, namespace, "redis", "error");
        FunctionCounter.builder("cachep.client.invalidations", stats.invalidations, LongAdder::sum)
                .description("Keys of the namespace Redis reported changed (entries and their fences)")
                .tag("namespace", namespace).register(registry);
        FunctionCounter.builder("cachep.client.l1.flushes", stats.flushes, LongAdder::sum)
                .description("Times the whole L1 was dropped because Redis was flushed")
                .tag("namespace", namespace).register(registry);
        Gauge.builder("cachep.client.invalidation.age", stats, s -> {
                    Duration since = s.sinceLastInvalidation();
                    return since == null ? Double.NaN : since.toNanos() / 1e9;
                })
                .description("Seconds since the last invalidation arrived (NaN before the first)")
                .baseUnit("seconds").tag("namespace", namespace).register(registry);
        Gauge.builder("cachep.client.cache.layer.divergence", stats, ClientStats::layerDivergence)
                .description("L1 copies the last periodic sample found differing from Redis; 0 when the L1 is true")
                .tag("namespace", namespace).register(registry);
        Gauge.builder("cachep.client.l1.entries", stats, ClientStats::l1Entries)
                .description("Entries the L1 holds").tag("namespace", namespace).register(registry);
    }

    private static void reads(MeterRegistry registry, LongAdder adder, String namespace, String layer, String outcome) {
        FunctionCounter.builder("cachep.client.reads", adder, LongAdder::sum)
                .description("Reads by the layer that answered and the outcome")
                .tags("namespace", namespace, "layer", layer, "outcome", outcome).register(registry);
    }
}
