package io.cachep.dlqtool.dlq;

import static io.cachep.errors.PoisonReason.BAD_ENVELOPE;
import static io.cachep.errors.PoisonReason.UNKNOWN_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.dlq.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterStatsTest {
    private static final Instant HOUR_3 = Instant.parse("2026-01-02T03:00:00Z");

    @Test
    void shouldCountByReasonTypeTopicAndHourWithTheLikeliestCauseFirst() {
        DeadLetterStats stats = new DeadLetterStats();
        stats.add(DeadLetterFixture.of("renamed", "u-1", UNKNOWN_TYPE, "no rule").failedAt(HOUR_3.plusSeconds(10))
                .from("users", 0, 1).readBack(0, 0), true);
        stats.add(DeadLetterFixture.of("renamed", "u-2", UNKNOWN_TYPE, "no rule").failedAt(HOUR_3.plusSeconds(3_700))
                .from("users", 1, 7).readBack(0, 1), true);
        stats.add(DeadLetterFixture.of("started", "s-1", BAD_ENVELOPE, "no id").failedAt(HOUR_3.minusSeconds(1))
                .from("sessions", 0, 2).readBack(1, 0), false);

        assertThat(stats.total()).isEqualTo(3);
        assertThat(stats.pending()).isEqualTo(2);
        assertThat(stats.byReason()).containsExactly(Map.entry("UNKNOWN_TYPE", 2L), Map.entry("BAD_ENVELOPE", 1L));
        assertThat(stats.byType()).containsExactly(Map.entry("renamed", 2L), Map.entry("started", 1L));
        assertThat(stats.byTopic()).containsExactly(Map.entry("users", 2L), Map.entry("sessions", 1L));
        assertThat(stats.byHour()).containsExactly(Map.entry(HOUR_3.minusSeconds(3_600), 1L), Map.entry(HOUR_3, 1L),
                Map.entry(HOUR_3.plusSeconds(3_600), 1L));
        assertThat(stats.oldest()).contains(HOUR_3.minusSeconds(1));
        assertThat(stats.newest()).contains(HOUR_3.plusSeconds(3_700));
    }

    @Test
    void shouldCountRecordsWithoutCauseHeadersUnderLabelsThatSaySo() {
        // A native Kafka Streams DLQ record, or anything produced by hand: no cachep headers, a value that is not JSON.
        DeadLetter bare = new DeadLetter(new ConsumerRecord<>("dlq", 0, 0, null, "not json".getBytes(StandardCharsets.UTF_8)));
        DeadLetterStats stats = new DeadLetterStats();
        stats.add(bare, true);

        assertThat(stats.byReason()).containsExactly(Map.entry(DeadLetterStats.NO_REASON, 1L));
        assertThat(stats.byType()).containsExactly(Map.entry(DeadLetterStats.NO_TYPE, 1L));
        assertThat(stats.byTopic()).containsExactly(Map.entry(DeadLetterStats.NO_TOPIC, 1L));
        assertThat(stats.oldest()).contains(Instant.ofEpochMilli(bare.timestamp()));
    }

    @Test
    void shouldHaveNoOldestWhenEmpty() {
        assertThat(new DeadLetterStats().oldest()).isEmpty();
    }
}
