package io.cachep.recovery;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One follower per namespace. Every projector instance with {@code projector.verify.follow}, and any
 * {@code dlq-tool verify --follow}, would otherwise read the whole log, repair the same entries and write the
 * namespace's verify record, whose counts would then flap between theirs. A key naming its holder, with a time to live
 * renewed every pass: the others stand by and take over once it lapses (the holder stopped, or stalled for
 * {@link #TTL}). A key that is simply gone (a {@code FLUSHALL}) is taken back by its holder ({@link #hold()}).
 *
 * <p>Only GET and SET, which the projector's ACL already grants and the read-only operator's grants on this one key.
 * The check and the renewal are two commands; the window between them is milliseconds against a time to live of
 * {@link #TTL}.
 */
public final class FollowLease {
    static final Duration TTL = Duration.ofSeconds(30);

    /** What {@link #hold()} says while the lease is free but not yet taken by a follower that stood by. */
    public static final String NOBODY_YET = "nobody yet";

    private final Duration ttl;
    /** Whether this follower held the lease at its last look. */
    private boolean held;
    /** Whether the lease was free at this follower's last look (true before the first: a follower starting takes it). */
    private boolean freeAtLastLook = true;

    private final RedisClusterCommands<String, String> redis;
    private final String key;
    private final String holder;

    /** @param who how the others name this follower while they stand by, e.g. "projector on host-1 (pid 4242)" */
    public FollowLease(RedisClusterCommands<String, String> redis, KeyLayout layout, String who) {
        this(redis, layout, who, TTL);
    }

    FollowLease(RedisClusterCommands<String, String> redis, KeyLayout layout, String who, Duration ttl) {
        this.ttl = ttl;
        this.redis = redis;
        this.key = layout.followLease();
        this.holder = who + " [" + UUID.randomUUID().toString().substring(0, 8) + "]";
    }

    /**
     * Takes or renews the lease; returns who holds it instead, if another does, or {@link #NOBODY_YET}.
     *
     * <p>A lease gone from under its holder (a {@code FLUSHALL} takes it with the rest) is taken back by that holder at
     * its next pass; a follower that stood by takes a free lease only when it finds it free twice in a row, so the one
     * with the model, not one that must first read the whole log, goes on finding the flush's damage.
     */
    public synchronized Optional<String> hold() { // synchronized: renewals may run on their own thread
        String current = redis.get(key);
        if (holder.equals(current)) {
            redis.set(key, holder, SetArgs.Builder.px(ttl.toMillis()));
            held = true;
            return Optional.empty();
        }
        boolean mayTake = held || freeAtLastLook;
        if (current == null && mayTake
                && "OK".equals(redis.set(key, holder, SetArgs.Builder.nx().px(ttl.toMillis())))) {
            held = true;
            return Optional.empty();
        }
        held = false;
        freeAtLastLook = current == null;
        return Optional.of(current != null ? current : mayTake ? String.valueOf(redis.get(key)) : NOBODY_YET);
    }

    /**
     * Renews the lease every third of {@link #TTL} on a thread of its own until closed: for work that holds up the
     * passes longer than that (reading the whole log at the start, a repair). A renewal that fails is tried again at
     * the next; one that finds the lease taken leaves it, and the next pass stands by.
     */
    public Renewal keptDuring(String what) {
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cachep-follow-lease (" + what + ")");
            thread.setDaemon(true);
            return thread;
        });
        long every = ttl.toMillis() / 3;
        renewer.scheduleWithFixedDelay(() -> {
            try {
                hold();
            } catch (RuntimeException e) {
                // Redis away for a moment: the next renewal, or the next pass, tries again.
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return renewer::shutdownNow;
    }

    /** Renewals on their own thread, until closed. */
    public interface Renewal extends AutoCloseable {
        @Override
        void close();
    }

    /** Gives the lease up, so a standing-by follower takes over at once rather than after {@link #TTL}. */
    public synchronized void release() {
        if (holder.equals(redis.get(key))) {
            redis.set(key, holder, SetArgs.Builder.px(1)); // expired at once: SET, not DEL, which a reader may not run
        }
        held = false;
    }

    /** How long the lease lasts unrenewed. */
    public Duration ttl() {
        return ttl;
    }

    /** How this follower is named in the lease. */
    public String holder() {
        return holder;
    }

    /** How one process is named: what it is, on which host, with which pid. */
    public static String describe(String what) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return what + " on " + host + " (pid " + ProcessHandle.current().pid() + ")";
    }
}
