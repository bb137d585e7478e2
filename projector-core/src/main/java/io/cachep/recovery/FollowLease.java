package io.cachep.recovery;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * One follower per namespace. Every projector instance with {@code projector.verify.follow}, and any
 * {@code dlq-tool verify --follow}, would otherwise read the whole log, repair the same entries and write the
 * namespace's verify record, whose counts would then flap between theirs. A key naming its holder, with a time to live
 * renewed every pass: the others stand by and take over once it lapses (the holder stopped, or stalled for
 * {@link #TTL}). A key that is simply gone (a {@code FLUSHALL}) is taken again by whoever looks first.
 *
 * <p>Only GET and SET, which the projector's ACL already grants and the read-only operator's grants on this one key.
 * The check and the renewal are two commands; the window between them is milliseconds against a time to live of
 * {@link #TTL}.
 */
public final class FollowLease {
    static final Duration TTL = Duration.ofSeconds(30);

    private final RedisClusterCommands<String, String> redis;
    private final String key;
    private final String holder;

    /** @param who how the others name this follower while they stand by, e.g. "projector on host-1 (pid 4242)" */
    public FollowLease(RedisClusterCommands<String, String> redis, KeyLayout layout, String who) {
        this.redis = redis;
        this.key = layout.followLease();
        this.holder = who + " [" + UUID.randomUUID().toString().substring(0, 8) + "]";
    }

    /** Takes or renews the lease; returns who holds it instead, if another does. */
    public Optional<String> hold() {
        String current = redis.get(key);
        if (holder.equals(current)) {
            redis.set(key, holder, SetArgs.Builder.px(TTL.toMillis()));
            return Optional.empty();
        }
        if (current == null && "OK".equals(redis.set(key, holder, SetArgs.Builder.nx().px(TTL.toMillis())))) {
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(current).orElseGet(() -> String.valueOf(redis.get(key))));
    }

    /** Gives the lease up, so a standing-by follower takes over at once rather than after {@link #TTL}. */
    public void release() {
        if (holder.equals(redis.get(key))) {
            redis.set(key, holder, SetArgs.Builder.px(1)); // expired at once: SET, not DEL, which a reader may not run
        }
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
