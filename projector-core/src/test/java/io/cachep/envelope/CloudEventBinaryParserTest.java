package io.cachep.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudEventBinaryParserTest {
    private final CloudEventBinaryParser parser = new CloudEventBinaryParser();

    /** A complete binary event's attributes; a null value in {@code changes} removes the attribute. */
    static Map<String, String> attributes(String... changes) {
        Map<String, String> a = new LinkedHashMap<>(Map.of(
                "specversion", "1.0", "id", "e-1", "type", "com.example.session.started", "source", "/test",
                "subject", "s-1", "time", "2026-11-23T10:00:00+01:00", "entityversion", "7"));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                a.remove(changes[i]);
            } else {
                a.put(changes[i], changes[i + 1]);
            }
        }
        return a;
    }

    static Headers headers(Map<String, String> attributes) {
        Headers h = new RecordHeaders();
        attributes.forEach((name, value) -> h.add("ce_" + name, bytes(value)));
        return h;
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private EventEnvelope parse(String key, String value, Headers headers) {
        return parser.parse(bytes(key), bytes(value), headers);
    }

    private static PoisonReason reasonOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (PoisonEventException e) {
            return e.reason();
        }
    }

    @Test
    void shouldReadEveryAttributeFromHeadersAndTheDataFromTheValue() {
        Headers h = headers(attributes());
        h.add("content-type", bytes("application/json; charset=utf-8"));
        EventEnvelope e = parse("s-1", "{\"userId\":\"u-1\",\"n\":3}", h);
        assertThat(e).isEqualTo(new EventEnvelope("e-1", "com.example.session.started", "/test", "s-1",
                Instant.parse("2026-11-23T09:00:00Z"), 7, Map.of("userId", "u-1", "n", 3), "{\"userId\":\"u-1\",\"n\":3}"));
    }

    @Test
    void shouldAcceptNoContentTypeAndStructuredSyntaxJsonTypes() {
        assertThat(parse("s-1", "{}", headers(attributes())).data()).isEmpty();
        Headers h = headers(attributes());
        h.add("content-type", bytes("Application/Vnd.Example.Session+JSON"));
        assertThat(parse(null, "{\"a\":1}", h).data()).containsEntry("a", 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "empty value|''",
        "absent value|NULL",
        "JSON null|null",
    })
    void shouldReadANoDataEventAsAnEmptyObject(String name, String value) {
        EventEnvelope e = parse("s-1", value, headers(attributes()));
        assertThat(e.data()).isEmpty();
        assertThat(e.dataJson()).isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "no specversion|specversion|NULL|BAD_ENVELOPE|'specversion' (header ce_specversion) is missing",
        "specversion 0.3|specversion|0.3|BAD_ENVELOPE|unsupported specversion",
        "no id|id|NULL|BAD_ENVELOPE|'id' (header ce_id)",
        "empty id|id|''|BAD_ENVELOPE|'id' (header ce_id) must be a non-empty string",
        "no type|type|NULL|BAD_ENVELOPE|'type'",
        "no source|source|NULL|BAD_ENVELOPE|'source'",
        "no subject|subject|NULL|BAD_ENVELOPE|'subject'",
        "no time|time|NULL|BAD_TIME|'time' (header ce_time) is missing in event e-1",
        "time yesterday|time|yesterday|BAD_TIME|RFC 3339",
        "no version|entityversion|NULL|BAD_VERSION|'entityversion' (header ce_entityversion) is missing in event e-1",
        "version abc|entityversion|abc|BAD_VERSION|not an integer",
        "version -1|entityversion|-1|BAD_VERSION|negative",
    })
    void shouldClassifyEachMissingOrBadAttribute(String name, String attribute, String value, PoisonReason reason,
            String mentions) {
        assertThatThrownBy(() -> parse("s-1", "{}", headers(attributes(attribute, value))))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining(mentions)
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(reason));
    }

    /** The point of sharing the checks: the same attributes get the same verdict whichever mode carried them. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "id|NULL", "subject|''", "specversion|0.3", "time|NULL", "time|2026-13-01T00:00:00Z",
        "entityversion|NULL", "entityversion|1.5", "entityversion|-3", "source|/ok",
    })
    void shouldGiveTheSameReasonAsStructuredMode(String attribute, String value) {
        Map<String, String> a = attributes(attribute, value);
        String structured = a.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", ",\"data\":{}}"));
        PoisonReason viaJson = reasonOf(() -> new CloudEventJsonParser().parse(bytes("s-1"), bytes(structured)));
        PoisonReason viaHeaders = reasonOf(() -> parse("s-1", "{}", headers(a)));
        assertThat(viaHeaders).isEqualTo(viaJson);
    }

    @Test
    void shouldRefuseARecordKeyedByAnotherEntity() {
        assertThatThrownBy(() -> parse("s-2", "{}", headers(attributes())))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("record key differs from the subject in event e-1")
                .hasMessageNotContaining("s-2");
    }

    @Test
    void shouldClassifyDataThatIsNotJsonAsUndecodableWithoutQuotingIt() {
        assertThatThrownBy(() -> parse("s-1", "{\"pin\": hunter2}", headers(attributes())))
                .isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("binary-mode data is not JSON in event e-1 (com.example.session.started)")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.UNDECODABLE));
    }

    @Test
    void shouldRefuseDataThatIsJsonButNotAnObject() {
        assertThatThrownBy(() -> parse("s-1", "[1,2]", headers(attributes())))
                .hasMessageContaining("'data' (the record value) must be a JSON object")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_ENVELOPE));
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/avro", "application/jsonx", "''"})
    void shouldRefuseANonJsonContentTypeWithoutEchoingIt(String contentType) {
        Headers h = headers(attributes());
        h.add("content-type", bytes(contentType));
        assertThatThrownBy(() -> parse("s-1", "{}", h))
                .hasMessageContaining("binary-mode data must be JSON")
                .hasMessageContaining("e-1")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_ENVELOPE));
    }

    @Test
    void shouldRefuseAnAttributeGivenTwiceRatherThanGuess() {
        Headers h = headers(attributes());
        h.add("ce_entityversion", bytes("8"));
        assertThatThrownBy(() -> parse("s-1", "{}", h))
                .hasMessageContaining("header ce_entityversion appears more than once")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_ENVELOPE));
    }

    @Test
    void shouldClassifyAHeaderThatIsNotUtf8AsUndecodable() {
        Headers h = headers(attributes("id", null));
        h.add("ce_id", new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> parse("s-1", "{}", h))
                .hasMessageContaining("header ce_id is not UTF-8")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.UNDECODABLE));
    }

    @Test
    void shouldNeverEchoAttributeValuesInMessages() {
        assertThatThrownBy(() -> parse("s-1", "{}", headers(attributes("entityversion", "hunter2"))))
                .hasMessageNotContaining("hunter2");
    }
}
