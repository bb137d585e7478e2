package io.cachep.projector;

import static org.apache.kafka.streams.StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
    private static final ProjectorConfig CONFIG = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of(
            ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
            ProjectorConfig.REDIS_URI_CONFIG, "redis://127.0.0.1:6379",
            ProjectorConfig.RULES_FILE_CONFIG, "../rules/demo.yaml"));

    @Test
    void shouldEnableTheGlobalProcessingExceptionHandlerForStreamsAndForThePartitionAssignorsOwnConfig() {
        StreamsConfig streams = new StreamsConfig(StreamsProperties.of(CONFIG));
        assertThat(streams.getBoolean(PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isTrue();
        // What StreamsPartitionAssignor builds its StreamsConfig from; without the key there, it warns at every start.
        Map<String, Object> mainConsumer = streams.getMainConsumerConfigs("group", "client", 0);
        assertThat(mainConsumer).containsEntry(PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }
}
