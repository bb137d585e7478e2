package io.cachep.apply;

import java.util.List;

/** What the version fence decided for one mutation, or (via {@link #ofEvent}) for a whole event. */
public enum ApplyOutcome {
    /** Newer than what Redis held: written. */
    APPLIED,
    /** Redis already holds exactly this version: a redelivery or a replay. Nothing written. */
    DUPLICATE,
    /** Redis holds a newer version: an out-of-order or replayed older event. Nothing written. */
    STALE,
    /** The expiry computed from event time has passed: the entry is gone as of this version. */
    EXPIRED;

    public String label() {
        return name().toLowerCase();
    }

    /** The outcome of one operation as the library's apply answers it: one letter. */
    static ApplyOutcome fromLetter(char letter) {
        return switch (letter) {
            case 'a' -> APPLIED;
            case 'd' -> DUPLICATE;
            case 's' -> STALE;
            case 'e' -> EXPIRED;
            default -> throw new IllegalStateException("the library's apply answered the outcome '" + letter + "'");
        };
    }

    /**
     * One outcome for an event: applied if any of its mutations was, else expired, else stale, else duplicate
     * (an event whose every write was already there is a duplicate).
     */
    public static ApplyOutcome ofEvent(List<ApplyOutcome> outcomes) {
        if (outcomes.contains(APPLIED)) {
            return APPLIED;
        }
        if (outcomes.contains(EXPIRED)) {
            return EXPIRED;
        }
        if (outcomes.contains(STALE)) {
            return STALE;
        }
        return DUPLICATE;
    }
}
