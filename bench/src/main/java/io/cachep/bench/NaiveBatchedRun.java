package io.cachep.bench;

import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.envelope.CloudEventReader;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.RuleEngine;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Baseline naive-batched, the better hand-written loop: per poll, every record's fenced script call is sent async on
 * one Lettuce connection, all are awaited, then commitSync. Same rules and same fence as the projector, one script
 * call per event; its cost is the serial poll, parse, send, wait, commit.
 */
final class NaiveBatchedRun {
    private NaiveBatchedRun() {}

    static Throughput run(Map<String, Object> kafka, List<String> topics, long expected,
                          StatefulRedisConnection<String, String> redis, RuleEngine engine) throws Exception {
        CloudEventReader reader = new CloudEventReader();
        RedisApplier applier = new RedisApplier(redis.async(), engine.rules().tombstoneRetention(), engine.layout());
        return NaiveConsumers.run("naive-batched", kafka, topics, expected, records -> {
            List<CompletableFuture<?>> writes = new ArrayList<>(records.count());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                EventEnvelope event = reader.read(record.key(), record.value(), record.headers());
                writes.add(applier.apply(EventStamp.of(event), engine.project(record.topic(), event)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        });
    }
}
