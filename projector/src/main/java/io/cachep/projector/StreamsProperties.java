package io.cachep.projector;

import io.cachep.config.ProjectorConfig;
import io.cachep.topics.ProducerSettings;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration: cachep's defaults, then everything given under {@code projector.kafka.*}. */
final class StreamsProperties {
    /**
     * The producer's own cap on one request. A dead letter is the original record plus headers, so it is larger than
     * the record, and with Kafka's default (1 MiB) the dead letter of any record over {@code projector.max.event.bytes}
     * (VALUE_TOO_LARGE) would be refused by the client and stop the projector. The limit that counts is the dead-letter
     * topic's {@code max.message.bytes}, enforced by the broker.
     */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private StreamsProperties() {}

    static Properties of(ProjectorConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Commit often: after a restart, at most this much is re-applied (harmlessly: writes are fenced).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // A new projector reads the log from its start: the cache is a projection of all of it.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The commit barrier relies on the classic protocol's commit path (docs/architecture.md).
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        // Every processor and topic is named in ProjectionTopology; refuse generated names so none can creep in.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Never wait for data on every input partition of a task before processing (it exists to order records by
        // timestamp across topics, for joins): the projection needs only each partition's own order, which the fence
        // relies on, and with the wait on, Kafka Streams formats log text for every record while any partition of
        // the task is empty (PartitionGroup.readyToProcess in 4.3.1), which cost a tenth of the stream thread.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // The behaviour Kafka 5.0 makes the default (the topology has no global store, so nothing else changes). Kafka
        // Streams warns wherever it builds a StreamsConfig without it, and the main consumer's partition assignor
        // builds one of its own from the consumer's configs alone (StreamsPartitionAssignor.configure in 4.3.1), so
        // the key goes to that consumer too: main.consumer.* keys reach its configs as given.
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
        // The producer writes dead letters: none may be dropped on a partition that is not led yet (ProducerSettings).
        ProducerSettings.lossless().forEach((key, value) -> props.put(StreamsConfig.producerPrefix(key), value));
        // Unprefixed, so projector.kafka.max.request.size still overrides it.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.putAll(config.kafkaClientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        return props;
    }
}
