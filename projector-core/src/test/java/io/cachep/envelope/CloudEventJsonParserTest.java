package io.cachep.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudEventJsonParserTest {
    private final CloudEventJsonParser parser = new CloudEventJsonParser();

    static String event(String overrides) {
        return "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"com.example.session.started\",\"source\":\"/test\","
                + "\"subject\":\"s-1\",\"time\":\"2026-11-23T10:00:00+01:00\",\"entityversion\":7,"
                + "\"data\":{\"userId\":\"u-1\",\"n\":3}" + overrides + "}";
    }

    private EventEnvelope parse(String key, String json) {
        return parser.parse(key == null ? null : key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEveryAttributeOfAStructuredEvent() {
        EventEnvelope e = parse("s-1", event(""));
        assertThat(e.id()).isEqualTo("e-1");
        assertThat(e.type()).isEqualTo("com.example.session.started");
        assertThat(e.subject()).isEqualTo("s-1");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
        assertThat(e.entityVersion()).isEqualTo(7);
        assertThat(e.data()).containsEntry("userId", "u-1").containsEntry("n", 3);
        assertThat(e.dataJson()).isEqualTo("{\"userId\":\"u-1\",\"n\":3}");
    }

    @Test
    void shouldAcceptTheVersionAsANumericStringSinceExtensionsAreOftenStrings() {
        assertThat(parse("s-1", event(",\"entityversion\":\"12\"").replace("\"entityversion\":7,", "")).entityVersion())
                .isEqualTo(12);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty value|''|UNDECODABLE|empty",
        "not JSON|'{\"id\": oops'|UNDECODABLE|not JSON",
        "a JSON array|'[1,2]'|BAD_ENVELOPE|array",
        "missing id|'{\"specversion\":\"1.0\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":1}'|BAD_ENVELOPE|'id'",
        "missing subject|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":1}'|BAD_ENVELOPE|'subject'",
        "wrong specversion|'{\"specversion\":\"0.3\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":1}'|BAD_ENVELOPE|specversion",
        "version abc|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":\"abc\"}'|BAD_VERSION|not an integer",
        "version -1|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":-1}'|BAD_VERSION|negative",
        "no version|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\"}'|BAD_VERSION|missing",
        "time yesterday|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"yesterday\",\"entityversion\":1}'|BAD_TIME|RFC 3339",
        "data not an object|'{\"specversion\":\"1.0\",\"id\":\"i\",\"type\":\"t\",\"source\":\"s\",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\",\"entityversion\":1,\"data\":\"x\"}'|BAD_ENVELOPE|'data'",
    })
    void shouldClassifyBadInputAsPoisonWithAMessageNamingTheAttribute(String name, String json, PoisonReason reason, String mentions) {
        assertThatThrownBy(() -> parse("s-1", json))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining(mentions)
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(reason));
    }

    @Test
    void shouldRefuseARecordKeyedByAnotherEntityBecauseItsOrderIsLost() {
        assertThatThrownBy(() -> parse("s-2", event("")))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("record key differs from the subject")
                .hasMessageNotContaining("s-2");
    }

    @Test
    void shouldNeverEchoPayloadValuesInMessages() {
        String secretish = event("").replace("\"entityversion\":7", "\"entityversion\":\"hunter2\"");
        assertThatThrownBy(() -> parse("s-1", secretish)).hasMessageNotContaining("hunter2");
    }
}
