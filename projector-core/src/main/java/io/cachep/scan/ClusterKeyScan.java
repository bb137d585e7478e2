package io.cachep.scan;

import io.cachep.apply.RedisTarget.Primary;
import io.cachep.apply.RedisTarget;
import io.cachep.rules.SlotTokens;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A resumable scan of every primary of a Redis Cluster, one primary after another, each primary's keys by its own
 * SCAN cursor; the position after each batch ({@link ClusterScanPosition}) says which slots are done and where the
 * current primary's scan stands, so a checkpoint can store it and a later run continue from it.
 *
 * <p>A SCAN cursor means something only on the server that gave it (each process hashes keys with its own seed), so
 * a primary is known by its node id and the slots it served when its scan began: if either differs when the scan
 * resumes (a failover made a replica the primary, slots were migrated), that primary's slots are scanned again from
 * cursor 0 on whoever serves them now. A primary's slots count as done only once its scan has ended and it still serves
 * them: a slot migrated away during the scan may have taken keys with it, so it is scanned again on its new primary.
 * Visiting a key twice is harmless: every pass that scans is idempotent.
 */
final class ClusterKeyScan {
    /** Primaries scanned in a row without a slot becoming done before the scan gives up (the topology keeps moving). */
    static final int MAX_FRUITLESS_SCANS = 16;

    private ClusterKeyScan() {}

    /** As {@link KeyScan#batches}, over every primary; {@code cursor} is a {@link ClusterScanPosition} or "0". */
    static void batches(RedisTarget redis, String pattern, String cursor, int size, BiConsumer<List<String>, String> each) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(size);
        ClusterScanPosition position = ClusterScanPosition.parse(cursor);
        List<String> batch = new ArrayList<>();
        String completed = null; // the primary whose scan just ended, to be marked done against the topology
        int fruitless = 0;
        while (true) {
            List<Primary> primaries = new ArrayList<>(redis.primariesWithSlotsNow());
            primaries.sort(Comparator.comparing(primary -> primary.slots().stream().min(Integer::compare).orElse(0)));
            if (completed != null) {
                int before = position.done().cardinality();
                position = position.complete(slotsOf(primaries, completed));
                fruitless = position.done().cardinality() > before ? 0 : fruitless + 1;
                if (fruitless >= MAX_FRUITLESS_SCANS) {
                    throw new IllegalStateException("the cluster's slots kept moving while it was scanned ("
                            + MAX_FRUITLESS_SCANS + " primaries in a row); run again once resharding has ended");
                }
                completed = null;
            }
            Primary node = position.scanning() ? resumable(primaries, position) : null;
            if (position.scanning() && node == null) {
                position = position.abandon();
            }
            if (node == null) {
                node = firstNotCovered(primaries, position);
                if (node == null) {
                    if (!position.finished()) {
                        BitSet missing = (BitSet) position.done().clone();
                        missing.flip(0, SlotTokens.SLOT_COUNT);
                        throw new IllegalStateException("slots " + ClusterScanPosition.ranges(missing)
                                + " have no primary now; run again once the cluster is healthy");
                    }
                    each.accept(batch, "0");
                    return;
                }
                position = position.begin(node.nodeId(), node.slots());
            }
            ScanCursor at = ScanCursor.of(position.cursor());
            while (true) {
                KeyScanCursor<String> page = node.commands().scan(at, args);
                batch.addAll(page.getKeys());
                if (page.isFinished()) {
                    break;
                }
                position = position.at(page.getCursor());
                if (batch.size() >= size) {
                    each.accept(batch, position.format());
                    batch = new ArrayList<>();
                }
                at = page;
            }
            completed = node.nodeId();
        }
    }

    /** The primary whose scan the position was in, if it is still that node with the same slots. */
    private static Primary resumable(List<Primary> primaries, ClusterScanPosition position) {
        for (Primary primary : primaries) {
            if (primary.nodeId().equals(position.nodeId()) && position.sameSlots(primary.slots())) {
                return primary;
            }
        }
        return null;
    }

    private static Primary firstNotCovered(List<Primary> primaries, ClusterScanPosition position) {
        for (Primary primary : primaries) {
            if (!position.covers(primary.slots())) {
                return primary;
            }
        }
        return null;
    }

    private static List<Integer> slotsOf(List<Primary> primaries, String nodeId) {
        for (Primary primary : primaries) {
            if (primary.nodeId().equals(nodeId)) {
                return primary.slots();
            }
        }
        return List.of();
    }
}
