package io.cachep.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.config.InvalidConfigurationException;
import io.cachep.rulesfile.InvalidRulesException;
import io.cachep.topics.InvalidTopicSpecException;
import io.cachep.topics.TopicApplyException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one root a CLI maps: each failure carries the exit code its command line ends with. */
class CachepExceptionTest {

    @Test
    void shouldMarkUnusableConfigurationRulesAndTopicSpecsAsUsageErrors() {
        assertThat(new InvalidConfigurationException(List.of("a")).exitCode()).isEqualTo(2);
        assertThat(new InvalidRulesException("rules.yaml", List.of("a")).exitCode()).isEqualTo(2);
        assertThat(new InvalidTopicSpecException(List.of("a")).exitCode()).isEqualTo(2);
    }

    @Test
    void shouldMarkTopicsThatCouldNotBeAppliedAsAFailure() {
        assertThat(new TopicApplyException(List.of("a"), List.of(), null).exitCode()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnExitCodeOtherThanFailedOrUsage() {
        assertThatThrownBy(() -> new CachepException(3, "partial") {})
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 3");
    }
}
