package io.cachep.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.rules.reference.Divergence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the follower says about an entry over its comparisons, and which entries it offers for repair. */
class DivergenceWatchTest {
    private final List<String> said = new ArrayList<>();
    private final DivergenceWatch watch = new DivergenceWatch(new DivergenceWatch.Listener() {
        @Override
        public void divergent(Divergence d) {
            said.add("divergent " + d.key() + " " + d.kind());
        }

        @Override
        public void equalAgain(String key, Divergence.Kind was, boolean repaired) {
            said.add("equal " + key + " was " + was + (repaired ? " repaired" : ""));
        }

        @Override
        public void stillDivergentAfterRepair(Divergence d) {
            said.add("did not hold " + d.key() + " " + d.kind());
        }
    });

    @Test
    void shouldSayOnceWhenAnEntryDivergesAndOnceWhenItIsEqualAgain() {
        assertThat(watch.observe("a", divergence("a", Divergence.Kind.MISSING))).isTrue();
        assertThat(watch.observe("a", divergence("a", Divergence.Kind.MISSING))).isFalse();
        assertThat(watch.byKind()).isEqualTo(Map.of(Divergence.Kind.MISSING, 1L));
        watch.repaired(watch.unrepaired());
        assertThat(watch.repairedSinceLastPass()).containsExactly("a");
        watch.observe("a", null);
        assertThat(said).containsExactly("divergent a MISSING", "equal a was MISSING repaired");
        assertThat(watch.divergent()).isZero();
    }

    @Test
    void shouldNotRepairAgainARepairThatDidNotHoldTheSameWay() {
        watch.observe("a", divergence("a", Divergence.Kind.DIFFERENT_VALUE));
        watch.repaired(watch.unrepaired());
        watch.observe("a", divergence("a", Divergence.Kind.DIFFERENT_VALUE));
        assertThat(said).containsExactly("divergent a DIFFERENT_VALUE", "did not hold a DIFFERENT_VALUE");
        assertThat(watch.unrepaired()).isEmpty();
        assertThat(watch.repairedSinceLastPass()).isEmpty();
    }

    @Test
    void shouldReportAndOfferForRepairAgainAnEntryThatDivergesAnotherWayAfterItsRepair() {
        watch.observe("a", divergence("a", Divergence.Kind.DIFFERENT_VALUE));
        watch.repaired(watch.unrepaired());
        // A flush removes it before the repair is checked: news, not a repair that did not hold.
        assertThat(watch.observe("a", divergence("a", Divergence.Kind.MISSING))).isTrue();
        assertThat(said).containsExactly("divergent a DIFFERENT_VALUE", "divergent a MISSING");
        assertThat(watch.unrepaired()).containsExactly("a");
        assertThat(watch.byKind()).isEqualTo(Map.of(Divergence.Kind.MISSING, 1L));
    }

    @Test
    void shouldOfferEveryReportedEntryForRepairAgainOnceRepairsAreForgotten() {
        watch.observe("a", divergence("a", Divergence.Kind.MISSING));
        watch.repaired(watch.unrepaired());
        watch.observe("a", divergence("a", Divergence.Kind.MISSING));
        assertThat(watch.unrepaired()).isEmpty();
        watch.forgetRepairs();
        assertThat(watch.unrepaired()).containsExactly("a");
    }

    private static Divergence divergence(String key, Divergence.Kind kind) {
        return new Divergence(kind, key, null, null);
    }
}
