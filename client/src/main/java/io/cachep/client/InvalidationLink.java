package io.cachep.client;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection that tells the L1 what changed: RESP3 server-assisted client-side caching in broadcast mode
 * ({@code CLIENT TRACKING ON BCAST PREFIX <namespace>:}), so Redis pushes the name of every key of the namespace that
 * any command changes (writes, deletes, expiries, evictions; a FLUSHALL as a flush of everything), whoever sent it.
 *
 * <p>Redis forgets tracking with the connection, so a lost connection ends the {@link TrackingEpoch}: copies read in
 * it are no longer served as fresh, and a new connection (retried in the background) starts a new epoch. Lettuce's
 * own reconnect is off here for that reason: it would restore the connection without tracking. A heartbeat
 * ({@code PING}) confirms the epoch: its reply arrives after every invalidation sent before it, so a copy is known true
 * as of the last heartbeat sent, and an L1 whose link stopped answering (a paused Redis, a silent network partition)
 * stops serving as fresh after the tracking timeout.
 */
final class InvalidationLink implements InvalidationSource {
    private static final Logger log = LoggerFactory.getLogger(InvalidationLink.class);

    /** What the link reports. */
    interface Listener {
        /** Keys that changed (Redis keys, any of the namespace). */
        void changed(List<String> redisKeys);

        /** Redis dropped everything (FLUSHALL, FLUSHDB), or more changed than it could list. */
        void flushed();

        /** The link's epoch ended: its connection was lost (a cluster's links end the cluster's epoch on it). */
        default void lost() {}

        /** A new epoch began: the link is tracking again. */
        default void back() {}
    }

    private final RedisClient client;
    private final String address;
    private final String prefix;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final Duration reconnectDelay;
    private final AtomicLong epochs = new AtomicLong();
    private volatile TrackingEpoch epoch = TrackingEpoch.NONE;
    private volatile StatefulRedisConnection<String, String> connection;
    private final ScheduledFuture<?> heartbeats;
    private volatile boolean closed;

    InvalidationLink(ClientResources resources, RedisURI uri, String prefix, Duration timeout, Duration heartbeat,
                     Listener listener, ScheduledExecutorService scheduler) {
        this.client = RedisClient.create(resources, uri);
        this.address = uri.getHost() + ":" + uri.getPort();
        this.client.setOptions(ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP3)
                .autoReconnect(false)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.prefix = prefix;
        this.listener = listener;
        this.scheduler = scheduler;
        this.reconnectDelay = heartbeat;
        this.client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                // Not on Lettuce's event loop: lost() takes the lock connect() holds while it waits for a reply.
                if (handler == connection) {
                    scheduler.execute(() -> lost(handler));
                }
            }
        });
        this.heartbeats = scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat.toNanos(), heartbeat.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void start() {
        connect();
    }

    @Override
    public TrackingEpoch epoch() {
        return epoch;
    }

    /** A PING sent now has come back (after every invalidation before it); fails when the link is down or silent. */
    @Override
    public CompletableFuture<Void> catchUp() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            return CompletableFuture.failedFuture(new CacheUnavailableException("the invalidation link is down", null));
        }
        TrackingEpoch during = epoch;
        long sentAt = System.nanoTime();
        return current.async().ping().toCompletableFuture().thenAccept(pong -> during.confirm(sentAt));
    }

    private synchronized void connect() {
        if (closed || connection != null) {
            return;
        }
        StatefulRedisConnection<String, String> fresh = client.connect(StringCodec.UTF8);
        try {
            fresh.addListener(this::onPush);
            long startedAt = System.nanoTime();
            fresh.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(prefix));
            epoch = TrackingEpoch.begin(epochs.incrementAndGet(), startedAt);
            connection = fresh;
        } catch (RuntimeException e) {
            fresh.closeAsync();
            throw e;
        }
        if (!fresh.isOpen()) {
            lost(fresh);  // closed before it was published, so the state listener did not recognize it
            return;
        }
        if (epoch.number() > 1) {
            log.info("cachep-client: invalidation link to {} back ({}); copies read before it are re-read on their "
                    + "next use", address, epoch);
        }
        listener.back();
    }

    private void onPush(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            List<String> changed = new ArrayList<>(list.size());
            list.forEach(key -> changed.add(String.valueOf(key)));
            listener.changed(changed);
        } else {
            listener.flushed();
        }
    }

    private synchronized void lost(Object handler) {
        StatefulRedisConnection<String, String> gone = connection;
        if (gone == null || gone != handler) {
            return;
        }
        connection = null;
        epoch.end();
        gone.closeAsync();
        if (!closed) {
            log.warn("cachep-client: invalidation link to {} lost ({}); the L1 serves nothing as fresh until it is "
                    + "back", address, epoch);
            listener.lost();
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        scheduler.schedule(() -> {
            try {
                connect();
            } catch (RuntimeException e) {
                log.debug("cachep-client: invalidation link not back yet: {}", e.getMessage());
                if (!closed) {
                    scheduleReconnect();
                }
            }
        }, reconnectDelay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void heartbeat() {
        if (connection == null) {
            return;
        }
        catchUp().exceptionally(failure -> null);
    }

    /** Whether the link is tracking now. */
    boolean live() {
        return epoch.live();
    }

    @Override
    public void close() {
        closed = true;
        heartbeats.cancel(false);
        StatefulRedisConnection<String, String> current = connection;
        connection = null;
        epoch.end();
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
