package io.cachep.recovery;

import io.cachep.apply.RedisFailure;
import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.apply.WindowedApply;
import io.cachep.log.GroupOffsets;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.scan.KeyScan;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code verify --follow}: keeps the streamed model of the log current and Redis compared with it, for as long as it
 * runs. Once a second it reads from Redis the entries due for a look: those the log changed, once the projector has
 * committed the change (it commits only what Redis holds); a slice of the others ({@code --sweep-rate} a second, round
 * and round); a slice of Redis's own keys, for entries the log does not imply; and entries just repaired. Then it
 * folds in the records added to the log since, and compares.
 *
 * <p>The order makes each comparison exact. Redis was read after the projector's offsets were taken and before the
 * log's end was, and the model has folded in the log up to that end: so Redis can hold no write the model lacks, and
 * an entry no record at or after the projector's offsets changed has every write of the model in Redis too. Such an
 * entry must be equal; any difference is reported at once ({@link DivergenceWatch}), with {@code --repair} repaired
 * through the fenced path, and counted in Redis for the projector's {@code cachep_cache_divergence} gauge. An entry
 * changed at or after those offsets (a write maybe in flight) is left for a later pass, as is every comparison of a
 * pass during which a tag invalidation was in flight (it names no entries).
 *
 * <p>Signs of a flushed namespace (the record it writes every pass gone, or a slice mostly missing) make the sweep
 * run at full speed until it has been round once, so a {@code FLUSHALL} is reported within seconds.
 *
 * <p>One follower per namespace follows at a time ({@link FollowLease}); another stands by, reading nothing, until
 * the lease is free.
 */
public final class LogFollower {
    static final Duration TICK = Duration.ofSeconds(1);
    /** Entries waiting for the projector at most: beyond, the follower stops reading the log until it catches up. */
    static final int PENDING_LIMIT = 100_000;
    /** Records read per partition per pass at most, so a burst does not hold up the comparisons. */
    static final long RECORDS_PER_PARTITION_PER_TICK = 50_000;
    /** Entries swept per pass while a flush is suspected. */
    static final int FULL_SPEED_SLICE = 50_000;
    private static final int COMPARE_BATCH = 500;
    private static final Duration REPAIR_AT_MOST_EVERY = Duration.ofSeconds(10);
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(60);
    private static final Duration STANDBY_LOOK_EVERY = Duration.ofSeconds(5);

    private final RuleEngine engine;
    private final KeyLayout layout;
    private final RedisTarget redis;
    private final LogReader reader;
    private final Admin admin;
    private final String projectorGroup;
    private final ModelState state;
    private final StreamedProjection projection;
    private final boolean repair;
    private final int sweepRate;
    private final PrintWriter err;
    private final PendingEntries pending = new PendingEntries();
    private final DivergenceWatch watch;
    private final DivergenceWatch.Listener listener;
    private final LoggedEvents events = new LoggedEvents();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final FollowLease lease;
    /** Who holds the lease while this follower stands by (null: this one does). */
    private String standingByFor;
    private long lastLeaseLook;

    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Per partition, the offset of the last record folded in that invalidated a tag. */
    private final Map<TopicPartition, Long> lastInvalidation = new HashMap<>();
    private Map<TopicPartition, Long> committed = Map.of();
    private String sweptTo;
    private long impliedThisRound;
    private long impliedLastRound = -1;
    private String scanCursor = "0";
    private boolean fullSpeed;
    private boolean recordWritten;
    private long lastRepair;
    private long lastStatus = System.currentTimeMillis();
    private long lastCheckpoint = System.currentTimeMillis();
    private long recordsSinceStatus;
    private long inconclusivePasses;
    /** Since when passes fail for a passing reason (null: they do not). */
    private Instant failingSince;

    /** Entries read from Redis in one pipelined batch, and when. */
    private record ReadBatch(List<String> keys, Map<String, EntrySnapshot> actual, long readAt) {}

    public LogFollower(RuleEngine engine, RedisTarget redis, LogReader reader, Admin admin, String projectorGroup,
                       ModelState state, boolean repair, int sweepRate, DivergenceWatch.Listener listener, PrintWriter err,
                       String who) {
        if (sweepRate < 1) {
            throw new IllegalArgumentException("--sweep-rate must be at least 1 (entries a second), was " + sweepRate);
        }
        this.engine = engine;
        this.layout = engine.layout();
        this.redis = redis;
        this.reader = reader;
        this.admin = admin;
        this.projectorGroup = projectorGroup;
        this.state = state;
        this.projection = new StreamedProjection(engine, state.store());
        this.repair = repair;
        this.sweepRate = sweepRate;
        this.err = err;
        this.listener = listener;
        this.watch = new DivergenceWatch(listener);
        this.lease = new FollowLease(redis.sync(), layout, who);
    }

    /**
     * Reads the log up to where the projector has committed (two threads, as a plain verify does), then follows it
     * until {@link #stop}; returns the entries divergent then.
     */
    public long run() throws Exception {
        while (!holdsTheLease()) {
            if (stopRequested.await(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                return 0;
            }
        }
        Map<TopicPartition, Long> ends = reader.endOffsets(engine.rules().topics());
        committed = GroupOffsets.committed(admin, projectorGroup);
        Map<TopicPartition, Long> upToProjector = new HashMap<>();
        ends.forEach((partition, end) -> upToProjector.put(partition, Math.min(end, committed.getOrDefault(partition, 0L))));
        try (FollowLease.Renewal renewing = lease.keptDuring("reading the log")) {
            LogProjection.read(reader, upToProjector, projection, state, err);
        }
        positions.putAll(reader.beginningOffsets(ends.keySet()));
        upToProjector.forEach((partition, at) -> positions.merge(partition, at, Math::max));
        state.positions().forEach((partition, at) -> positions.merge(partition, at, Math::max));
        err.printf("following the log of %s for projector group %s (sweeping %,d entries a second)%n",
                String.join(", ", engine.rules().topics()), projectorGroup, sweepRate);
        err.flush();
        while (!stopRequested.await(0, TimeUnit.MILLISECONDS)) {
            long started = System.currentTimeMillis();
            try {
                pass(started);
                if (failingSince != null) {
                    err.println("Redis and Kafka answer again after " + Duration.between(failingSince, Instant.now())
                            + "; following on");
                    failingSince = null;
                }
            } catch (Exception e) {
                if (!passing(e)) {
                    throw e;
                }
                if (failingSince == null) {
                    failingSince = Instant.now();
                    err.println("a pass failed (" + e + "); trying again every second, nothing is reported meanwhile");
                }
            }
            err.flush();
            stopRequested.await(Math.max(0, TICK.toMillis() - (System.currentTimeMillis() - started)), TimeUnit.MILLISECONDS);
        }
        if (state.persistent()) {
            state.checkpoint(positions);
        }
        try {
            lease.release();
        } catch (RuntimeException e) {
            err.println("could not give up the follower's lease (" + e + "); it lapses in " + lease.ttl().toSeconds() + " s");
        }
        return watch.divergent();
    }

    /**
     * Takes or renews the lease; says once when this follower starts or stops standing by for another. One standing by
     * looks only every {@link #STANDBY_LOOK_EVERY} and takes a free lease only at its second look in a row
     * ({@link FollowLease#hold}), so after a {@code FLUSHALL} took the lease with it, the follower that holds the model
     * (renewing every pass) takes it back.
     */
    private boolean holdsTheLease() {
        long now = System.currentTimeMillis();
        if (standingByFor != null && now - lastLeaseLook < STANDBY_LOOK_EVERY.toMillis()) {
            return false;
        }
        lastLeaseLook = now;
        String other = lease.hold().orElse(null);
        if (other == null) {
            if (standingByFor != null) {
                err.println("taking over following namespace " + layout.namespace() + " from " + standingByFor);
                err.flush();
            }
            standingByFor = null;
            return true;
        }
        if (!other.equals(FollowLease.NOBODY_YET) && !other.equals(standingByFor)) {
            err.println("standing by: " + other + " follows namespace " + layout.namespace()
                    + "; this one takes over when its lease (" + lease.ttl().toSeconds() + " s) lapses");
            err.flush();
            standingByFor = other;
        }
        return false;
    }

    /**
     * A failure the next pass may not meet: Redis or Kafka away for a while (a restart, a failover, a timeout). A pass
     * that fails compares nothing it could misjudge: what it read is dropped, and the next pass starts afresh.
     */
    private static boolean passing(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof org.apache.kafka.common.errors.RetriableException
                || cause instanceof io.lettuce.core.RedisException && RedisFailure.classify(cause) == RedisFailure.TRANSIENT;
    }

    /** Ends {@link #run} after the pass under way. */
    public void stop() {
        stopRequested.countDown();
    }

    private void pass(long now) throws Exception {
        if (!holdsTheLease()) {
            return;
        }
        noticeAFlush();
        // 1. The projector's offsets, then the entries due for a look.
        committed = GroupOffsets.committed(admin, projectorGroup);
        Set<String> due = new LinkedHashSet<>(pending.passed(committed));
        due.addAll(watch.repairedSinceLastPass());
        long[] implied = {0};
        int slice = fullSpeed ? FULL_SPEED_SLICE : sweepRate;
        sweptTo = projection.forEachWrittenAfter(sweptTo, slice, now, (key, expected) -> {
            due.add(key);
            implied[0] += expected == null ? 0 : 1;
        });
        impliedThisRound += implied[0];
        KeyScan.Batch scanned = KeyScan.next(redis, layout.scanPattern(), scanCursor, slice);
        scanned.keys().stream().filter(key -> !layout.isMetadata(key)).forEach(due::add);
        scanCursor = scanned.next();
        due.removeIf(key -> pending.changedSince(key, committed));
        // 2. Redis, then 3. the log up to its end now: Redis can hold nothing the model lacks.
        List<ReadBatch> read = readFromRedis(due);
        boolean caughtUp = pending.size() < PENDING_LIMIT && foldNewRecords();
        // 4. Compare what no write in flight can explain.
        long compared = 0;
        long missing = 0;
        if (caughtUp && !invalidationInFlight()) {
            for (ReadBatch batch : read) {
                for (String key : batch.keys()) {
                    if (pending.changedSince(key, committed)) {
                        continue;
                    }
                    EntrySnapshot expected = projection.expected(key, batch.readAt());
                    EntrySnapshot there = batch.actual().get(key);
                    Divergence.Kind kind = Divergence.compare(expected, there);
                    boolean news = watch.observe(key, kind == null ? null : new Divergence(kind, key, expected, there));
                    // Only news counts towards a suspected flush: entries already reported missing would make every
                    // slice look like one until they are repaired.
                    missing += news && kind == Divergence.Kind.MISSING ? 1 : 0;
                    compared++;
                }
            }
        } else {
            inconclusivePasses++;
        }
        if (sweptTo == null) { // round done
            impliedLastRound = impliedThisRound;
            impliedThisRound = 0;
            fullSpeed = false;
        } else if (!fullSpeed && compared >= 20 && missing * 2 > compared) {
            sweepAtFullSpeed("most entries of this slice are missing from Redis");
        }
        if (repair) {
            repairWhatWasReported(now);
        }
        listener.passDone();
        VerificationRecord.write(redis.sync(), layout, Math.max(impliedLastRound, 0), watch.byKind());
        recordWritten = true;
        if (now - lastStatus >= STATUS_EVERY.toMillis()) {
            status(now);
        }
        if (state.persistent() && now - lastCheckpoint >= CHECKPOINT_EVERY.toMillis()) {
            state.checkpoint(positions);
            lastCheckpoint = now;
        }
        err.flush();
    }

    private List<ReadBatch> readFromRedis(Set<String> keys) {
        List<ReadBatch> batches = new ArrayList<>();
        List<String> batch = new ArrayList<>(COMPARE_BATCH);
        for (String key : keys) {
            batch.add(key);
            if (batch.size() == COMPARE_BATCH) {
                batches.add(read(batch));
                batch = new ArrayList<>(COMPARE_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(read(batch));
        }
        return batches;
    }

    private ReadBatch read(List<String> keys) {
        long readAt = System.currentTimeMillis();
        return new ReadBatch(keys, RedisSnapshots.readAll(redis.async(), keys), readAt);
    }

    /** A record at or after the projector's offsets invalidated a tag: the entries it drops may be in flight. */
    private boolean invalidationInFlight() {
        return lastInvalidation.entrySet().stream()
                .anyMatch(at -> at.getValue() >= committed.getOrDefault(at.getKey(), 0L));
    }

    /** Folds in the records added to the log since the last pass; returns whether it reached the log's end. */
    private boolean foldNewRecords() {
        Map<TopicPartition, Long> ends = reader.endOffsets(engine.rules().topics());
        Map<TopicPartition, Long> newPartitions = new HashMap<>(ends);
        newPartitions.keySet().removeAll(positions.keySet());
        if (!newPartitions.isEmpty()) {
            positions.putAll(reader.beginningOffsets(newPartitions.keySet()));
        }
        Map<TopicPartition, Long> upTo = new HashMap<>();
        boolean[] whole = {true};
        ends.forEach((partition, end) -> {
            long capped = Math.min(end, positions.get(partition) + RECORDS_PER_PARTITION_PER_TICK);
            whole[0] &= capped == end;
            upTo.put(partition, capped);
        });
        long[] read = {0};
        reader.readRange(positions, upTo, record -> {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            events.of(record).ifPresent(logged -> {
                boolean invalidated = projection.add(logged.topic(), logged.event(),
                        key -> pending.changed(key, partition, record.offset()));
                if (invalidated) {
                    lastInvalidation.put(partition, record.offset());
                }
            });
        }, n -> read[0] = n);
        positions.putAll(upTo);
        recordsSinceStatus += read[0];
        return whole[0];
    }

    /**
     * The record this follower writes every pass is gone: Redis was flushed, or restarted without its data. Sweep at
     * full speed until round once.
     */
    private void noticeAFlush() { // TYPE, not EXISTS: the read-only operator's ACL grants TYPE
        if (recordWritten && "none".equals(redis.sync().type(VerificationRecord.key(layout))) && !fullSpeed) {
            sweepAtFullSpeed("the namespace's verify record is gone from Redis (FLUSHALL, or a restart without its data?)");
        }
    }

    /** Starts a new round of the sweep, at full speed until it is done. */
    private void sweepAtFullSpeed(String why) {
        fullSpeed = true;
        sweptTo = null;
        scanCursor = "0";
        impliedThisRound = 0;
        watch.forgetRepairs();
        err.println(why + ": sweeping every entry now");
    }

    /**
     * Repairs the reported entries no repair was tried on, all in one more read of the log: at most every
     * {@link #REPAIR_AT_MOST_EVERY}, and not while a full-speed round is finding a mass loss (a repair reads the whole
     * log, so one after the round, for all of it, is much sooner done than one per slice).
     */
    private void repairWhatWasReported(long now) {
        List<String> unrepaired = watch.unrepaired();
        if (unrepaired.isEmpty() || fullSpeed || now - lastRepair < REPAIR_AT_MOST_EVERY.toMillis()) {
            return;
        }
        lastRepair = now;
        state.store().clearFlags();
        unrepaired.forEach(state.store()::flag);
        long repaired;
        try (FollowLease.Renewal renewing = lease.keptDuring("repairing")) {
            repaired = new StreamedRepair(engine, redis, state.store(), err).repair(reader, WindowedApply.RETRY_FOR);
        }
        state.store().clearFlags();
        watch.repaired(unrepaired);
        err.println("repaired " + repaired + " entries");
    }

    private void status(long now) {
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> at : positions.entrySet()) {
            behind += Math.max(0, at.getValue() - committed.getOrDefault(at.getKey(), 0L));
        }
        double seconds = (now - lastStatus) / 1000.0;
        err.printf("following: %,.0f records/s from the log; the projector has %,d of them to commit (%,d entries"
                        + " waiting for it); %,d entries implied at the last full sweep%s; %,d passes inconclusive (writes in flight);"
                        + " %,d divergent%n",
                recordsSinceStatus / seconds, behind, pending.size(), Math.max(impliedLastRound, 0),
                fullSpeed ? " (sweeping at full speed)" : "", inconclusivePasses, watch.divergent());
        inconclusivePasses = 0;
        if (pending.size() >= PENDING_LIMIT) {
            err.printf("the projector (group %s) is far behind: %,d entries wait for it; reading of the log resumes"
                    + " when it catches up%n", projectorGroup, pending.size());
        }
        lastStatus = now;
        recordsSinceStatus = 0;
    }
}
