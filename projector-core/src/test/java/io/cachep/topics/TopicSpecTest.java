package io.cachep.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void withNameKeepsEverythingElse() {
        TopicSpec spec = new TopicSpec("session-events", 6, (short) 3, Map.of("cleanup.policy", "delete"));

        assertThat(spec.withName("session-events-t1"))
                .isEqualTo(new TopicSpec("session-events-t1", 6, (short) 3, Map.of("cleanup.policy", "delete")));
    }

    @Test
    void configsAreACopyThatCannotChange() {
        Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "1"));
        TopicSpec spec = new TopicSpec("t", 1, (short) 1, configs);
        configs.put("retention.ms", "2");

        assertThat(spec.configs()).containsEntry("retention.ms", "1");
        assertThatThrownBy(() -> spec.configs().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> new TopicSpec("t", 0, (short) 1, Map.of())).hasMessageContaining("partitions");
        assertThatThrownBy(() -> new TopicSpec("t", 1, (short) 0, Map.of())).hasMessageContaining("replication");
    }
}
