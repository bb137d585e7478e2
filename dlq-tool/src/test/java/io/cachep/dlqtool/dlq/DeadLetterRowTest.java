package io.cachep.dlqtool.dlq;

import static io.cachep.errors.PoisonReason.TEMPLATE_FIELD_MISSING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterRowTest {
    @Test
    void shouldShowWhereTheRecordCameFromAndWhyInOneShortLine() {
        String longMessage = "rule profile: template user:{data.userId} names data.userId, which the event lacks;\n"
                + "  the event has: name, email";
        DeadLetterRow row = DeadLetterRow.of(DeadLetterFixture.of("profile-updated", "u-7", TEMPLATE_FIELD_MISSING, longMessage)
                .from("profiles", 3, 1207).failedAt(Instant.parse("2026-01-02T03:04:05.678Z")).readBack(1, 42), true);

        Object[] cells = row.cells();

        assertThat(cells).hasSize(DeadLetterRow.HEADERS.length);
        assertThat(cells[0]).hasToString("1:42");
        assertThat(cells[1]).hasToString("2026-01-02T03:04:05Z");
        assertThat(cells[2]).isEqualTo("TEMPLATE_FIELD_MISSING");
        assertThat(cells[3]).isEqualTo("profile-updated");
        assertThat(cells[4]).isEqualTo("u-7");
        assertThat(cells[5]).isEqualTo("profiles-3@1207");
        assertThat(cells[6]).isEqualTo(0);
        assertThat((String) cells[7]).hasSize(60).endsWith("...").doesNotContain("\n");
        assertThat(row.json()).containsEntry("message", longMessage).containsEntry("sourceOffset", 1207L)
                .containsEntry("pending", true).containsEntry("position", "1:42");
    }
}
