package io.cachep.recovery;

import io.cachep.rules.reference.Divergence;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries a following verify has found different from the log, so each divergence is reported once when it is
 * found, once more when it ends, and counted by kind meanwhile. The follower hands over only conclusive comparisons
 * (no write of the entry in flight), so a difference is reported at once.
 */
public final class DivergenceWatch {
    /** Hears of each reported divergence and each end of one. */
    public interface Listener {
        void divergent(Divergence divergence);

        void equalAgain(String key, Divergence.Kind was, boolean repaired);

        /** Still different after its repair: it is not repaired again (a sweep still clears it once equal). */
        void stillDivergentAfterRepair(Divergence divergence);

        /** A pass of comparisons ended. */
        default void passDone() {}
    }

    private static final class Reported {
        Divergence.Kind kind;
        boolean repaired;
        /** Set when repaired: compare it again on the next pass, not at the next sweep. */
        boolean recheck;

        Reported(Divergence.Kind kind) {
            this.kind = kind;
        }
    }

    private final Listener listener;
    private final Map<String, Reported> reported = new LinkedHashMap<>();

    DivergenceWatch(Listener listener) {
        this.listener = listener;
    }

    /**
     * What a conclusive comparison found for {@code key}: a divergence, or null when equal. Returns whether it is news:
     * a divergence not reported before, or of another kind than reported (something else happened to the entry since,
     * a flush after a repair, say: it is reported, and repaired, again).
     */
    boolean observe(String key, Divergence found) {
        if (found == null) {
            Reported was = reported.remove(key);
            if (was != null) {
                listener.equalAgain(key, was.kind, was.repaired);
            }
            return false;
        }
        Reported known = reported.get(key);
        if (known == null || known.kind != found.kind()) {
            reported.put(key, new Reported(found.kind()));
            listener.divergent(found);
            return true;
        }
        if (known.recheck) {
            known.recheck = false;
            listener.stillDivergentAfterRepair(found);
        }
        return false;
    }

    /**
     * Lets every reported entry be repaired again: a flush explains why a repair did not hold, and undoes the ones
     * that did.
     */
    void forgetRepairs() {
        reported.values().forEach(report -> {
            report.repaired = false;
            report.recheck = false;
        });
    }

    /** Entries repaired since the last pass: to be compared again now. */
    List<String> repairedSinceLastPass() {
        List<String> due = new ArrayList<>();
        reported.forEach((key, report) -> {
            if (report.recheck) {
                due.add(key);
            }
        });
        return due;
    }

    /** Reported entries no repair has been tried on yet. */
    List<String> unrepaired() {
        List<String> keys = new ArrayList<>();
        reported.forEach((key, report) -> {
            if (!report.repaired) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** The entries were repaired: compare them again next, and do not repair them again while they stay reported. */
    void repaired(List<String> keys) {
        keys.forEach(key -> {
            Reported report = reported.get(key);
            if (report != null) {
                report.repaired = true;
                report.recheck = true;
            }
        });
    }

    Map<Divergence.Kind, Long> byKind() {
        Map<Divergence.Kind, Long> counts = new EnumMap<>(Divergence.Kind.class);
        reported.values().forEach(report -> counts.merge(report.kind, 1L, Long::sum));
        return counts;
    }

    long divergent() {
        return reported.size();
    }
}
