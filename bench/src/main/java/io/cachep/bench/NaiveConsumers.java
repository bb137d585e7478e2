package io.cachep.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The loop a team writes by hand around a plain {@link KafkaConsumer}: subscribe, poll, handle the batch, commitSync,
 * until every pre-loaded record is done. The two baselines differ only in how they handle a batch.
 */
final class NaiveConsumers {
    /** What a baseline does with one poll's records before the loop commits them. */
    interface BatchHandler {
        void handle(ConsumerRecords<byte[], byte[]> records) throws Exception;
    }

    private NaiveConsumers() {}

    static Throughput run(String name, Map<String, Object> kafka, List<String> topics, long expected, BatchHandler handler)
            throws Exception {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "cachep-bench-" + name + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Throughput.Clock clock = new Throughput.Clock();
        long handled = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (handled < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " handled only " + handled + " of " + expected + " records in 30 minutes");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                clock.startIfNotYet();
                handler.handle(records);
                consumer.commitSync();
                handled += records.count();
            }
        }
        return clock.stop(name, handled);
    }
}
