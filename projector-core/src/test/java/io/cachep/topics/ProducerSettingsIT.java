package io.cachep.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cachep's producers lose nothing on a partition that is not led yet, such as a topic another tool created a moment
 * before (or a broker taking up leadership after a restart). With Kafka's default of five requests in flight, most
 * rounds of this test lost records on the 4.3.1 broker (KAFKA-15591).
 */
@ExtendWith(DevStackExtension.class)
class ProducerSettingsIT {
    private static final int ROUNDS = 5;

    @Test
    void shouldDeliverEveryRecordWhenProducingTheMomentATopicIsCreatedElsewhere(DevStack stack, TestIsolation isolation)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            for (int round = 0; round < ROUNDS; round++) {
                String topic = isolation.topic("created-elsewhere-" + round);
                // As another tool would: the controller has the topic, the broker may not serve it yet.
                admin.createTopics(List.of(new NewTopic(topic, PartitionBurst.PARTITIONS, (short) 1))).all().get();

                PartitionBurst.Result result = PartitionBurst.send(stack.bootstrapServers(), topic,
                        ProducerSettings.lossless());

                assertThat(result.failedSends()).as("round %d: sends that failed (first: %s)", round,
                        result.firstFailure()).isZero();
                assertThat(result.recordsOnTopic()).as("round %d: records on the topic", round)
                        .isEqualTo(PartitionBurst.RECORDS);
            }
        }
    }
}
