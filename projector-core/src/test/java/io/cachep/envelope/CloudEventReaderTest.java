package io.cachep.envelope;

import static io.cachep.envelope.CloudEventBinaryParserTest.attributes;
import static io.cachep.envelope.CloudEventBinaryParserTest.bytes;
import static io.cachep.envelope.CloudEventBinaryParserTest.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventReaderTest {
    private static final long RECORD_TIME = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
    private final CloudEventReader reader = new CloudEventReader();

    /** A structured event whose id differs from the headers' "e-1", to tell which mode read it. */
    private static final String STRUCTURED = CloudEventJsonParserTest.event("").replace("\"e-1\"", "\"e-structured\"");

    @Test
    void shouldReadBinaryModeWhenACeSpecversionHeaderIsPresent() {
        EventEnvelope e = reader.read(bytes("s-1"), bytes("{\"userId\":\"u-1\"}"), headers(attributes()));
        assertThat(e.id()).isEqualTo("e-1");
        assertThat(e.dataJson()).isEqualTo("{\"userId\":\"u-1\"}");
    }

    @Test
    void shouldReadStructuredModeWithoutHeadersSinceManyProducersSetNoContentType() {
        assertThat(reader.read(bytes("s-1"), bytes(STRUCTURED), new RecordHeaders()).id()).isEqualTo("e-structured");
        assertThat(reader.read(bytes("s-1"), bytes(STRUCTURED), null).id()).isEqualTo("e-structured");
    }

    @Test
    void shouldReadAStructuredValueWithCeHeadersAsBinaryBecauseTheHeadersWin() {
        EventEnvelope e = reader.read(bytes("s-1"), bytes(STRUCTURED), headers(attributes()));
        assertThat(e.id()).isEqualTo("e-1");
        assertThat(e.data()).containsEntry("id", "e-structured"); // the whole value is the data
    }

    @Test
    void shouldReadStructuredModeWhenTheContentTypeSaysSoEvenWithMirroredCeHeaders() {
        // Kafka binding, section 3: content-type application/cloudevents... means structured; 3.3.3 allows the headers.
        Headers h = headers(attributes());
        h.add("content-type", bytes("application/cloudevents+json; charset=UTF-8"));
        assertThat(reader.read(bytes("s-1"), bytes(STRUCTURED), h).id()).isEqualTo("e-structured");
    }

    @Test
    void shouldSendNullValuesToTheTombstonePath() {
        assertThat(reader.isTombstone(null)).isTrue();
        assertThat(reader.isTombstone(new byte[0])).isFalse();
        assertThatThrownBy(() -> reader.read(bytes("s-1"), null, headers(attributes())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadATombstoneWithAVersionTimedByTheRecordAndWithADeterministicId() {
        Headers h = new RecordHeaders();
        h.add("ce_entityversion", bytes("9"));
        assertThat(reader.readTombstone(bytes("s-1"), h, RECORD_TIME))
                .isEqualTo(new EntityTombstone("s-1", 9, Instant.ofEpochMilli(RECORD_TIME), "tombstone:s-1:9"));
    }

    @Test
    void shouldPreferTheTombstonesOwnIdAndTime() {
        Headers h = headers(attributes("subject", null));
        EntityTombstone t = reader.readTombstone(bytes("s-1"), h, RECORD_TIME);
        assertThat(t).isEqualTo(new EntityTombstone("s-1", 7, Instant.parse("2026-11-23T09:00:00Z"), "e-1"));
    }

    @Test
    void shouldRefuseATombstoneWithoutAVersion() {
        Headers h = new RecordHeaders();
        h.add("ce_id", bytes("t-1"));
        assertThatThrownBy(() -> reader.readTombstone(bytes("s-1"), h, RECORD_TIME))
                .hasMessageStartingWith("a tombstone needs a ce_entityversion header")
                .hasMessageContaining("t-1")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.TOMBSTONE_WITHOUT_VERSION));
    }

    @Test
    void shouldRefuseATombstoneWithABadVersionWithoutEchoingIt() {
        Headers h = new RecordHeaders();
        h.add("ce_entityversion", bytes("hunter2"));
        assertThatThrownBy(() -> reader.readTombstone(bytes("s-1"), h, RECORD_TIME))
                .hasMessageStartingWith("a tombstone needs a ce_entityversion header")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_VERSION));
    }

    @Test
    void shouldRefuseATombstoneWithoutAKey() {
        Headers h = new RecordHeaders();
        h.add("ce_entityversion", bytes("9"));
        assertThatThrownBy(() -> reader.readTombstone(null, h, RECORD_TIME))
                .hasMessageContaining("a tombstone needs a record key")
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_ENVELOPE));
    }

    @Test
    void shouldRefuseATombstoneWithNeitherCeTimeNorARecordTimestamp() {
        Headers h = new RecordHeaders();
        h.add("ce_entityversion", bytes("9"));
        assertThatThrownBy(() -> reader.readTombstone(bytes("s-1"), h, -1L))
                .satisfies(e -> assertThat(((PoisonEventException) e).reason()).isEqualTo(PoisonReason.BAD_TIME));
    }
}
