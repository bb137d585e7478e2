package io.cachep.dlqtool.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DlqPositionTest {
    @Test
    void shouldReadThePositionDlqListShows() {
        assertThat(DlqPosition.parse("2:1042")).isEqualTo(new DlqPosition(2, 1042));
        assertThat(new DlqPosition(2, 1042)).hasToString("2:1042");
    }

    @Test
    void shouldRefuseAnythingElseSayingWhatIsExpected() {
        for (String bad : new String[] {"", "7", ":4", "1:", "a:b", "1:2:3", "-1:4", "1:-4", "1-4"}) {
            assertThatThrownBy(() -> DlqPosition.parse(bad)).as(bad)
                    .hasMessage("'" + bad + "' is not PARTITION:OFFSET of the DLQ, e.g. 0:42 as dlq list shows it");
        }
    }
}
