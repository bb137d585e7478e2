package io.cachep.devstack.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestIsolationTest {

    @Test
    void shouldDeriveNamesFromTestNameAndSuffix() {
        TestIsolation isolation = new TestIsolation("projects-upsert", "a1b2c3");

        assertThat(isolation.applicationId()).isEqualTo("it-projects-upsert-a1b2c3");
        assertThat(isolation.topic("user-events")).isEqualTo("user-events-a1b2c3");
        assertThat(isolation.keyPrefix()).isEqualTo("ta1b2c3");
    }

    @Test
    void shouldSanitizeTestNamesIntoKafkaSafeNames() {
        assertThat(TestIsolation.sanitize("shouldProjectUpsert")).isEqualTo("should-project-upsert");
        assertThat(TestIsolation.sanitize("[1] key=ü 42 ")).isEqualTo("1-key-42");
        assertThat(TestIsolation.sanitize("___")).isEqualTo("test");
        assertThat(TestIsolation.sanitize("x".repeat(100))).hasSize(TestIsolation.MAX_NAME_LENGTH);
    }

    @Test
    void shouldGiveEveryTestAFreshSuffix() {
        TestIsolation first = TestIsolation.forTest("sameName");
        TestIsolation second = TestIsolation.forTest("sameName");

        assertThat(first.suffix()).matches("[a-z0-9]{6}");
        assertThat(first.applicationId()).isNotEqualTo(second.applicationId());
    }

    @Test
    void shouldRejectNamesThatAreNotSanitized() {
        assertThatThrownBy(() -> new TestIsolation("Has Space", "a1b2c3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("testName");
        assertThatThrownBy(() -> new TestIsolation("ok", "short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suffix");
        assertThatThrownBy(() -> new TestIsolation("ok", "a1b2c3").topic(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base");
    }
}
