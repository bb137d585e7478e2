package io.cachep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Baseline naive-sync, as a team first writes it: per record, parse the JSON and write its data with one synchronous
 * HSET and one EXPIRE, then commitSync per poll. No fencing: a duplicate or a late event overwrites newer state.
 */
final class NaiveSyncRun {
    /** The demo's session TTL, so it writes what the projector writes, minus the fence. */
    private static final long TTL_SECONDS = 30 * 60;

    private NaiveSyncRun() {}

    static Throughput run(Map<String, Object> kafka, List<String> topics, long expected, RedisCommands<String, String> redis)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        return NaiveConsumers.run("naive-sync", kafka, topics, expected, records -> {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                JsonNode event = json.readTree(record.value());
                Map<String, String> fields = new HashMap<>();
                event.path("data").fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
                fields.put("type", event.path("type").asText());
                String key = "naive:" + record.topic() + ":{" + new String(record.key(), StandardCharsets.UTF_8) + "}";
                redis.hset(key, fields);
                redis.expire(key, TTL_SECONDS);
            }
        });
    }
}
