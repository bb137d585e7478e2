package io.cachep.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A follower's one-line-per-entry output under a flush: so many lines a second, and one count of the rest. */
class LinesPerSecondTest {
    private long now = 10_000;
    private final List<Long> heldBack = new ArrayList<>();
    private final LinesPerSecond lines = new LinesPerSecond(3, () -> now);

    @Test
    void shouldAdmitTheLimitEachSecondAndCountTheRestOnceTheSecondIsOver() {
        List<Boolean> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            admitted.add(lines.admit(heldBack::add));
        }
        assertThat(admitted).containsExactly(true, true, true, false, false);
        lines.secondOver(heldBack::add);
        assertThat(heldBack).as("its second is not over yet").isEmpty();

        now += 1_000;
        lines.secondOver(heldBack::add);
        assertThat(heldBack).containsExactly(2L);
        lines.secondOver(heldBack::add);
        assertThat(heldBack).as("said once").containsExactly(2L);
    }

    @Test
    void shouldSayWhatWasHeldBackBeforeTheFirstLineOfTheNextSecond() {
        for (int i = 0; i < 4; i++) {
            lines.admit(heldBack::add);
        }
        now += 1_000;
        assertThat(lines.admit(heldBack::add)).isTrue();
        assertThat(heldBack).containsExactly(1L);
    }
}
