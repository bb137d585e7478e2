package io.cachep.dlqtool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Events for {@link RebuildBesideProjectorIT#FIXED_RULES}: items saved or removed (item i-N belongs to tenant
 * t-(N mod {@value #TENANTS}), is tagged with it and listed in the tenant's set, a second slot), profiles whose fields
 * are merged, and tenant flushes ({@code invalidate-tag}). Each entity's versions grow; about one event in ten is sent
 * after the entity's next one, and about one in twenty twice, as producers do.
 */
final class ItemEvents {
    static final int ITEMS = 150;
    static final int PROFILES = 60;
    static final int TENANTS = 3;

    private final String topic;
    private final Random random;
    private final int items;
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, ProducerRecord<String, byte[]>> held = new HashMap<>();
    private ProducerRecord<String, byte[]> last;
    private final Set<String> removed = ConcurrentHashMap.newKeySet();

    ItemEvents(String topic, Random random) {
        this(topic, random, ITEMS);
    }

    /** @param items how many items (i-0 to i-(items-1)) the events are about */
    ItemEvents(String topic, Random random, int items) {
        this.topic = topic;
        this.random = random;
        this.items = items;
    }

    /** Items a removal was made for, recorded before the removal is handed out to be sent: a reader may see it gone. */
    Set<String> removed() {
        return removed;
    }

    int items() {
        return items;
    }

    /** The next records to send (none while an event is held back, two when one is released after its successor). */
    List<ProducerRecord<String, byte[]>> next() {
        if (last != null && random.nextInt(20) == 0) {
            return List.of(last);
        }
        boolean item = random.nextInt(items + PROFILES) < items;
        String subject = item ? "i-" + random.nextInt(items) : "p-" + random.nextInt(PROFILES);
        long version = versions.merge(subject, 1L, Long::sum);
        byte[] event;
        if (item) {
            String tenant = tenantOf(Integer.parseInt(subject.substring(2)));
            if (random.nextInt(10) == 0) {
                removed.add(subject);
                event = CloudEvents.event("removed", subject, version, Instant.now(), Map.of("tenant", tenant));
            } else {
                event = CloudEvents.event("saved", subject, version, Instant.now(),
                        Map.of("version", version, "name", "n" + version, "tenant", tenant));
            }
        } else {
            Map<String, Object> fields = new HashMap<>();
            for (int i = 0; i <= random.nextInt(2); i++) {
                fields.put("f" + random.nextInt(5), Long.toString(version));
            }
            event = CloudEvents.event("changed", subject, version, Instant.now(), fields);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, subject, event);
        ProducerRecord<String, byte[]> late = held.remove(subject);
        if (late == null && random.nextInt(10) == 0) {
            held.put(subject, record);
            return List.of();
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2);
        records.add(record);
        if (late != null) {
            records.add(late);
        }
        last = record;
        return records;
    }

    /** The flush of a tenant's cache: {@code invalidate-tag} of {@code tenant:{t}}, at the time it is made. */
    ProducerRecord<String, byte[]> flush(String tenant) {
        return new ProducerRecord<>(topic, tenant, CloudEvents.event("flushed", tenant, 1, Instant.now(), Map.of()));
    }

    /**
     * Sends at least {@code count} records of {@link #next()}, a tenant flush half-way, without waiting for them;
     * returns how many were sent.
     */
    int load(Producer<String, byte[]> producer, int count) {
        int sent = 0;
        while (sent < count) {
            for (ProducerRecord<String, byte[]> record : sent == count / 2 ? List.of(flush(tenantOf(1))) : next()) {
                producer.send(record);
                sent++;
            }
        }
        return sent;
    }

    static String tenantOf(int item) {
        return "t-" + item % TENANTS;
    }
}
