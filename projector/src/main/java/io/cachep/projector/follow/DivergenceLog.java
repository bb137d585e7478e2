package io.cachep.projector.follow;

import io.cachep.recovery.DivergenceWatch;
import io.cachep.recovery.LinesPerSecond;
import io.cachep.rules.reference.Divergence;
import org.slf4j.Logger;

/**
 * What the in-process follower finds, in the projector's log: a WARN when an entry is found divergent, an INFO when it
 * is equal again, an ERROR when a repair did not hold. Keys and kinds only, never values: entries hold users' data,
 * and logs travel further than Redis does. A flush makes every entry divergent at once, so at most
 * {@link #LINES_PER_SECOND} lines a second, then one line with how many were left out (the counts by kind are in
 * {@code cachep_cache_divergence} regardless).
 */
final class DivergenceLog implements DivergenceWatch.Listener {
    static final int LINES_PER_SECOND = 20;

    private final Logger log;
    private final LinesPerSecond lines = new LinesPerSecond(LINES_PER_SECOND);

    DivergenceLog(Logger log) {
        this.log = log;
    }

    @Override
    public void divergent(Divergence divergence) {
        if (admit()) {
            log.warn("divergent entry {}: {} (the log implies other than Redis holds)", divergence.key(), divergence.kind());
        }
    }

    @Override
    public void equalAgain(String key, Divergence.Kind was, boolean repaired) {
        if (admit()) {
            log.info("entry {} equal to the log again (was {}{})", key, was, repaired ? ", repaired" : "");
        }
    }

    @Override
    public void stillDivergentAfterRepair(Divergence divergence) {
        if (admit()) {
            log.error("entry {} still {} after its repair: not repaired again (something else writes it?)",
                    divergence.key(), divergence.kind());
        }
    }

    @Override
    public void passDone() {
        lines.secondOver(this::sayHeldBack);
    }

    private boolean admit() {
        return lines.admit(this::sayHeldBack);
    }

    private void sayHeldBack(long held) {
        log.warn("... and {} more entries changed state in that second (counts by kind: cachep_cache_divergence)", held);
    }
}
