package io.cachep.topics;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings every Kafka producer of cachep starts from (the demo producer, {@code dlq replay}, the bench's
 * preloader, and the projector's own producer, which writes dead letters), so that a record the producer was given is
 * either written or reported failed, never dropped.
 *
 * <p>One request in flight per connection: with several, a Kafka 4.3 broker can silently lose an idempotent
 * producer's records. When the first produce request to a partition is refused with NOT_LEADER_OR_FOLLOWER (the
 * partition was created a moment before, or its broker is restarting and has not taken up leadership yet) and the
 * request behind it is accepted (the broker accepts any first sequence number from a producer it has no state for),
 * every retry of the first is refused as OUT_OF_ORDER_SEQUENCE_NUMBER until its {@code delivery.timeout.ms} expires
 * (KAFKA-15591; the broker refuses the second request instead only from Kafka 4.5). With one request in flight, the
 * second is sent only after the first was written. The cost is throughput per connection, which none of these
 * producers is short of (measured in {@code docs/benchmarks.md}). {@link TopicApplier} also returns only once a
 * created topic's partitions are served by their leaders, which closes the window for producers it does not configure.
 */
public final class ProducerSettings {
    private ProducerSettings() {}

    /** Written by every in-sync replica, idempotent, one request in flight per connection. Later settings override. */
    public static Map<String, Object> lossless() {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    }
}
