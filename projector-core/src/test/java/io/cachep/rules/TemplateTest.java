package io.cachep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    static EventEnvelope event(Map<String, Object> data) {
        return new EventEnvelope("e-1", "t.started", "/src", "s-17", Instant.parse("2026-11-23T10:00:00Z"), 3, data, "{}");
    }

    @Test
    void shouldRenderKeyPlaceholdersInsideBracesSoTheyFormAHashTag() {
        Template key = Template.parse("user:{data.userId}:sessions");
        assertThat(key.renderKey(event(Map.of("userId", "u-9")))).isEqualTo("user:{u-9}:sessions");
        assertThat(KeyLayout.hashTag("demo:user:{u-9}:sessions")).isEqualTo("u-9");
    }

    @Test
    void shouldRenderValuesBareAndNestedValuesAsJson() {
        EventEnvelope e = event(Map.of("n", 3, "ratio", 0.5, "tags", List.of("a", "b"), "nested", Map.of("k", "v")));
        assertThat(Template.parse("{subject}/{time}").renderValue(e)).isEqualTo("s-17/2026-11-23T10:00:00Z");
        assertThat(Template.parse("{data.n}").renderValue(e)).isEqualTo("3");
        assertThat(Template.parse("{data.ratio}").renderValue(e)).isEqualTo("0.5");
        assertThat(Template.parse("{data.tags}").renderValue(e)).isEqualTo("[\"a\",\"b\"]");
        assertThat(Template.parse("{data.nested.k}").renderValue(e)).isEqualTo("v");
    }

    @Test
    void shouldMakeAMissingFieldAPoisonEventNamingThePath() {
        assertThatThrownBy(() -> Template.parse("{data.device}").renderValue(event(Map.of())))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("{data.device}")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.TEMPLATE_FIELD_MISSING));
    }

    @Test
    void shouldRefuseKeyValuesWithBracesBecauseTheyWouldMoveTheHashTag() {
        assertThatThrownBy(() -> Template.parse("x:{data.id}").renderKey(event(Map.of("id", "a}b"))))
                .isInstanceOf(PoisonEventException.class);
    }

    @Test
    void shouldRejectUnknownPlaceholdersAndUnbalancedBraces() {
        assertThatThrownBy(() -> Template.parse("{subjekt}")).hasMessageContaining("unknown placeholder {subjekt}");
        assertThatThrownBy(() -> Template.parse("a:{subject")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Template.parse("a}")).hasMessageContaining("closes no placeholder");
    }
}
