package io.cachep.apply;

/** What {@code shadow-promote.lua} did to one live entry. */
public enum PromoteOutcome {
    /** The live entry (or its tombstone) was rewritten from the shadow: the log's state, plus any newer live write. */
    PROMOTED,
    /** The live entry already equalled the merge: nothing written. */
    UNCHANGED,
    /** Nothing to take from the shadow: every difference was a write the projector made after rebuild read the entry. */
    LIVE_NEWER,
    /** The log implies no such entry (under the current rules): the live data and its fence were removed. */
    DROPPED,
    /** The log implies no such entry and the live one held only a fence (a tombstone): the fence was removed. */
    CLEARED;

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }

    static PromoteOutcome fromScript(Object reply) {
        for (PromoteOutcome outcome : values()) {
            if (outcome.label().equals(String.valueOf(reply))) {
                return outcome;
            }
        }
        throw new IllegalStateException("the library's promote answered '" + reply + "'");
    }
}
