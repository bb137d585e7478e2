package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Tenant-wide cache flushes ({@code subject} = tenant id): an operator or a deploy asks to drop everything cached
 * for a tenant, which the tenant-flushed rule turns into invalidating the tag {@code tenant:{subject}}. Rare in real
 * life; on its own this scenario emits nothing else, and {@link MixedScenario} gives it a small share.
 */
public final class TenantScenario implements Scenario {
    public static final String TOPIC = "tenant-events";
    public static final String CACHE_FLUSHED = "com.example.tenant.cache-flushed";
    private static final String[] REASONS = {"admin", "plan-change", "data-import", "incident"};

    private final Random random;
    private final Population people;
    private final Map<String, Long> versions = new HashMap<>();

    /** @param tenants how many tenants {@code t-1..t-N} there are */
    public TenantScenario(long seed, int tenants) {
        this.random = new Random(seed);
        this.people = Population.ofTenants(tenants);
    }

    @Override
    public String name() {
        return "tenants";
    }

    @Override
    public DemoEvent next(Instant now) {
        String tenantId = people.randomTenant(random);
        long version = versions.merge(tenantId, 1L, Long::sum);
        ObjectNode event = CloudEventWriter.envelope(CACHE_FLUSHED, tenantId, version, now);
        event.putObject("data").put("reason", REASONS[random.nextInt(REASONS.length)]);
        return new DemoEvent(TOPIC, tenantId, CloudEventWriter.bytes(event), CACHE_FLUSHED);
    }
}
