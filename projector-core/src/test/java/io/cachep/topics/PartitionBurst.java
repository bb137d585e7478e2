package io.cachep.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a burst to every partition of a topic the moment it exists, in small batches so that each partition has
 * several produce requests in flight: the pattern that loses records when a partition is not led yet (KAFKA-15591,
 * see {@link ProducerSettings}). Each send is awaited; a lost record shows as a send that expired.
 */
final class PartitionBurst {
    static final int PARTITIONS = 12;
    static final int RECORDS = 3000;

    /** What a burst delivered: sends that failed (with the first cause) and the records the topic ends up holding. */
    record Result(int failedSends, Throwable firstFailure, long recordsOnTopic) {}

    private PartitionBurst() {}

    static Result send(String bootstrapServers, String topic, Map<String, Object> producerSettings) throws Exception {
        Map<String, Object> props = new HashMap<>(producerSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512);
        // A lost batch spins until this expires; long enough that a slow machine is not mistaken for one.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, "k" + i, "record " + i + " of a burst")));
            }
            producer.flush();
        }
        int failed = 0;
        Throwable first = null;
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            }
        }
        return new Result(failed, first, recordsOn(bootstrapServers, topic));
    }

    private static long recordsOn(String bootstrapServers, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        IntStream.range(0, PARTITIONS).forEach(p -> ends.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            return admin.listOffsets(ends).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        }
    }
}
