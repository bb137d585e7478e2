package io.cachep.scan;

import io.cachep.rules.SlotTokens;
import java.util.BitSet;
import java.util.Collection;

/**
 * Where a resumable scan of a Redis Cluster stands, as a string a rebuild checkpoint stores in place of a single
 * server's SCAN cursor: the slots whose keys have all been visited, and the primary being scanned (its node id and the
 * slots it served when its scan began) with the SCAN cursor reached on it.
 *
 * <p>Format: {@code cluster;done=0-5460,10923-16383;node=<node id>;slots=5461-10922;at=<cursor>} (the node part absent
 * between two primaries). Anything else, a single server's cursor such as {@code "0"} included, reads as a scan not
 * begun: a checkpoint written by a single-server rebuild keeps its plain cursor and resumes as before, and one that
 * moved from a single server to a cluster starts the pass again, which every pass allows (each step is idempotent).
 */
record ClusterScanPosition(BitSet done, String nodeId, BitSet nodeSlots, String cursor) {
    private static final String PREFIX = "cluster;";

    ClusterScanPosition {
        done = (BitSet) done.clone();
        nodeSlots = nodeSlots == null ? null : (BitSet) nodeSlots.clone();
        if ((nodeId == null) != (nodeSlots == null) || (nodeId == null) != (cursor == null)) {
            throw new IllegalArgumentException("nodeId, nodeSlots and cursor go together");
        }
    }

    /** A scan not begun. */
    static ClusterScanPosition start() {
        return new ClusterScanPosition(new BitSet(), null, null, null);
    }

    /** True when {@code cursor} is a cluster position (otherwise a single server's cursor). */
    static boolean isCluster(String cursor) {
        return cursor != null && cursor.startsWith(PREFIX);
    }

    /** The position a checkpoint stored; anything but a cluster position is a scan not begun (see the class comment). */
    static ClusterScanPosition parse(String text) {
        if (!isCluster(text)) {
            return start();
        }
        BitSet done = new BitSet();
        String nodeId = null;
        BitSet nodeSlots = null;
        String cursor = null;
        for (String part : text.substring(PREFIX.length()).split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a cluster scan position: " + text);
            }
            String value = part.substring(eq + 1);
            switch (part.substring(0, eq)) {
                case "done" -> done = ranges(value);
                case "node" -> nodeId = value;
                case "slots" -> nodeSlots = ranges(value);
                case "at" -> cursor = value;
                default -> throw new IllegalArgumentException("not a cluster scan position: " + text);
            }
        }
        return new ClusterScanPosition(done, nodeId, nodeSlots, cursor);
    }

    /** True while a primary's scan is under way. */
    boolean scanning() {
        return nodeId != null;
    }

    /** True once every slot of the cluster has been visited. */
    boolean finished() {
        return done.cardinality() == SlotTokens.SLOT_COUNT;
    }

    /** True when every one of {@code slots} has been visited. */
    boolean covers(Collection<Integer> slots) {
        return slots.stream().allMatch(done::get);
    }

    /** The scan of a primary begins, at cursor 0, over the slots it serves now. */
    ClusterScanPosition begin(String node, Collection<Integer> slots) {
        return new ClusterScanPosition(done, node, bits(slots), "0");
    }

    /** The primary's scan has reached {@code next}. */
    ClusterScanPosition at(String next) {
        return new ClusterScanPosition(done, nodeId, nodeSlots, next);
    }

    /**
     * The primary's scan is complete: the slots it served at the start and still serves ({@code servedNow}) are done.
     * A slot that moved away meanwhile may have taken keys the scan did not reach, so it stays to do.
     */
    ClusterScanPosition complete(Collection<Integer> servedNow) {
        BitSet covered = (BitSet) nodeSlots.clone();
        covered.and(bits(servedNow));
        BitSet nowDone = (BitSet) done.clone();
        nowDone.or(covered);
        return new ClusterScanPosition(nowDone, null, null, null);
    }

    /** The primary's scan is given up (it failed over or its slots changed): its slots stay to do, from cursor 0. */
    ClusterScanPosition abandon() {
        return new ClusterScanPosition(done, null, null, null);
    }

    /** True when {@code slots} are exactly the slots the primary being scanned served when its scan began. */
    boolean sameSlots(Collection<Integer> slots) {
        return nodeSlots.equals(bits(slots));
    }

    String format() {
        StringBuilder text = new StringBuilder(PREFIX).append("done=").append(ranges(done));
        if (scanning()) {
            text.append(";node=").append(nodeId).append(";slots=").append(ranges(nodeSlots)).append(";at=").append(cursor);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    static BitSet bits(Collection<Integer> slots) {
        BitSet bits = new BitSet(SlotTokens.SLOT_COUNT);
        slots.forEach(bits::set);
        return bits;
    }

    /** {@code 0-5460,5462}: compact, since a primary serves thousands of slots. */
    static String ranges(BitSet slots) {
        StringBuilder text = new StringBuilder();
        for (int from = slots.nextSetBit(0); from >= 0; from = slots.nextSetBit(slots.nextClearBit(from))) {
            int to = slots.nextClearBit(from) - 1;
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(from);
            if (to > from) {
                text.append('-').append(to);
            }
        }
        return text.toString();
    }

    static BitSet ranges(String text) {
        BitSet slots = new BitSet(SlotTokens.SLOT_COUNT);
        if (text.isEmpty()) {
            return slots;
        }
        for (String range : text.split(",")) {
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (from < 0 || to < from || to >= SlotTokens.SLOT_COUNT) {
                throw new IllegalArgumentException("not a slot range: " + range);
            }
            slots.set(from, to + 1);
        }
        return slots;
    }
}
