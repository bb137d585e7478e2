package io.cachep.bench;

import io.cachep.envelope.CloudEventReader;
import io.cachep.log.LogReader;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka limit: a plain consumer reads the pre-loaded topics and decodes every envelope, writing nowhere. No
 * projector can go faster than its own consumer and parser.
 */
final class KafkaLimitRun {
    private KafkaLimitRun() {}

    static Throughput run(Map<String, Object> kafka, Map<TopicPartition, Long> ends) {
        CloudEventReader reader = new CloudEventReader();
        Throughput.Clock clock = new Throughput.Clock();
        long[] decoded = {0};
        try (LogReader log = new LogReader(kafka)) {
            log.readUpTo(ends, record -> {
                clock.startIfNotYet();
                if (reader.read(record.key(), record.value(), record.headers()).entityVersion() >= 0) {
                    decoded[0]++;
                }
            }, n -> { });
        }
        return clock.stop("kafka limit", decoded[0]);
    }
}
