package io.cachep.dlqtool.rebuild;

import io.cachep.apply.PromoteOutcome;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a rebuild did, kept in its checkpoint so a resumed run reports the whole rebuild. */
public final class RebuildCounts {
    /** Each count, with its label in the summary. */
    public enum Count {
        RECORDS("log records read into the shadow"),
        POISON("records the projector dead-letters (skipped)"),
        BUILT("entries built in the shadow"),
        PROMOTED("promoted"),
        UNCHANGED("unchanged (already equal)"),
        LIVE_NEWER("skipped (live newer)"),
        DROPPED("dropped (the log does not imply them)"),
        CLEARED("tombstones cleared (the log does not imply them)"),
        TAGS("tags carried over");

        private final String label;

        Count(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The name in JSON output and in the checkpoint. */
        public String key() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final Map<Count, Long> counts = new EnumMap<>(Count.class);

    public void add(Count count, long n) {
        counts.merge(count, n, Long::sum);
    }

    public long get(Count count) {
        return counts.getOrDefault(count, 0L);
    }

    /** Counts a promote's outcome; {@code UNCHANGED} only where the entry came from the shadow. */
    void add(PromoteOutcome outcome, boolean fromShadow) {
        switch (outcome) {
            case PROMOTED -> add(Count.PROMOTED, 1);
            case UNCHANGED -> add(Count.UNCHANGED, fromShadow ? 1 : 0);
            case LIVE_NEWER -> add(Count.LIVE_NEWER, 1);
            case DROPPED -> add(Count.DROPPED, 1);
            case CLEARED -> add(Count.CLEARED, 1);
        }
    }

    /** Every count by {@link Count#key()}, zeros included. */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (Count count : Count.values()) {
            map.put(count.key(), get(count));
        }
        return map;
    }

    static RebuildCounts fromMap(Map<String, String> fields, String prefix) {
        RebuildCounts counts = new RebuildCounts();
        for (Count count : Count.values()) {
            String value = fields.get(prefix + count.key());
            if (value != null) {
                counts.add(count, Long.parseLong(value));
            }
        }
        return counts;
    }
}
