package io.cachep.dlqtool.dlq;

import static io.cachep.errors.PoisonReason.UNDECODABLE;
import static io.cachep.errors.PoisonReason.UNKNOWN_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.dlqtool.TestDeployment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterDetailsTest {
    private static final byte[] NOT_TEXT = {0x00, (byte) 0xff, 0x10};

    @Test
    void shouldTakeTheEnvelopeFromAStructuredEventWithoutItsData() {
        DeadLetter letter = DeadLetterFixture.of("renamed", "u-1", UNKNOWN_TYPE, "no rule").readBack(0, 0);

        Map<String, String> envelope = DeadLetterDetails.envelope(letter);

        assertThat(envelope).containsEntry("id", "renamed-u-1").containsEntry("type", "renamed")
                .containsEntry("subject", "u-1").containsEntry("entityversion", "1").doesNotContainKey("data");
        assertThat(envelope.values()).noneMatch(v -> v.contains("secret-"));
    }

    @Test
    void shouldTakeTheEnvelopeFromCeHeadersInBinaryMode() {
        DeadLetter letter = DeadLetterFixture.of("renamed", "u-1", UNKNOWN_TYPE, "no rule")
                .value("{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                .header("ce_type", "renamed".getBytes(StandardCharsets.UTF_8))
                .header("ce_id", "e-9".getBytes(StandardCharsets.UTF_8)).readBack(0, 0);

        assertThat(DeadLetterDetails.envelope(letter)).containsExactly(Map.entry("type", "renamed"), Map.entry("id", "e-9"));
    }

    @Test
    void shouldHaveNoEnvelopeWhenTheValueIsNotJson() {
        DeadLetter letter = DeadLetterFixture.of("x", "k", UNDECODABLE, "not JSON")
                .value("<xml/>".getBytes(StandardCharsets.UTF_8)).readBack(0, 0);

        assertThat(DeadLetterDetails.envelope(letter)).isEmpty();
    }

    @Test
    void shouldDecodeEveryHeaderAsTextOrBase64() {
        DeadLetter letter = DeadLetterFixture.of("renamed", "u-1", UNKNOWN_TYPE, "no rule for renamed")
                .header("trace-id", "abc".getBytes(StandardCharsets.UTF_8)).header("binary", NOT_TEXT).readBack(0, 0);

        var headers = DeadLetterDetails.headers(letter);

        assertThat(headers).contains(new DeadLetterDetails.HeaderValue("trace-id", "abc", false),
                new DeadLetterDetails.HeaderValue("binary", Base64.getEncoder().encodeToString(NOT_TEXT), true),
                new DeadLetterDetails.HeaderValue(DeadLetterHeaders.REASON, "UNKNOWN_TYPE", false),
                new DeadLetterDetails.HeaderValue(DeadLetterHeaders.MESSAGE, "no rule for renamed", false));
        assertThat(headers).extracting(DeadLetterDetails.HeaderValue::name).contains(DeadLetterHeaders.STACKTRACE,
                DeadLetterHeaders.TOPIC, DeadLetterHeaders.FAILED_AT, DeadLetterHeaders.REPLAY_COUNT);
        assertThat(DeadLetterDetails.stackTraceLines(letter)).isGreaterThan(1);
    }

    @Test
    void shouldShowThePayloadAsIndentedJsonTextOrBase64() {
        byte[] json = TestDeployment.event("renamed", "u-1", "{\"name\":\"n\"}", Instant.now());
        assertThat(DeadLetterDetails.payloadText(json)).contains("\"data\" : {").contains("\n");
        assertThat(DeadLetterDetails.payloadText("plain".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain");
        assertThat(DeadLetterDetails.payloadText(NOT_TEXT)).isEqualTo("(not text; base64) " + Base64.getEncoder().encodeToString(NOT_TEXT));
        assertThat(DeadLetterDetails.payloadText(null)).contains("tombstone");

        assertThat(DeadLetterDetails.payloadJson(json)).containsEntry("payloadEncoding", "json");
        assertThat(((JsonNode) DeadLetterDetails.payloadJson(json).get("payload")).get("data").get("name").asText()).isEqualTo("n");
        assertThat(DeadLetterDetails.payloadJson(NOT_TEXT)).containsEntry("payloadEncoding", "base64");
        assertThat(DeadLetterDetails.payloadJson("<xml/>".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("payload", "<xml/>").containsEntry("payloadEncoding", "utf8");
    }
}
