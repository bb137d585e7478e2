package io.cachep.client;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Invalidation on a Redis Cluster: each primary reports only its own keys, so there is a tracking link
 * ({@link InvalidationLink}) per primary, and the L1 sees one cluster epoch that is live only while every primary's
 * link is. It ends when any link is lost and when the topology changes (a failover, slots moving to a node not linked
 * yet: writes there would go unheard), and a new one begins once every primary of the new topology is linked. A
 * heartbeat confirms it as of when PINGs were sent to every primary and all came back.
 *
 * <p>Keys moved away from a node are deleted there, which that node reports, so a copy of a migrated key is dropped
 * when its slot moves; the next read follows the redirect, and the client's topology refresh ends the epoch.
 */
final class ClusterLinks implements InvalidationSource {
    private static final Logger log = LoggerFactory.getLogger(ClusterLinks.class);

    private final ClientResources resources;
    private final RedisClusterClient cluster;
    private final RedisURI template;
    private final String prefix;
    private final Duration timeout;
    private final Duration heartbeat;
    private final InvalidationLink.Listener listener;
    private final ScheduledExecutorService scheduler;
    private final Map<String, InvalidationLink> links = new HashMap<>();
    private final AtomicLong epochs = new AtomicLong();
    private final Disposable topologyEvents;
    private volatile TrackingEpoch epoch = TrackingEpoch.NONE;
    private volatile boolean closed;

    /** @param template credentials and TLS for every node, as the seeds have them */
    ClusterLinks(ClientResources resources, RedisClusterClient cluster, RedisURI template, String prefix,
                 Duration timeout, Duration heartbeat, InvalidationLink.Listener listener,
                 ScheduledExecutorService scheduler) {
        this.resources = resources;
        this.cluster = cluster;
        this.template = template;
        this.prefix = prefix;
        this.timeout = timeout;
        this.heartbeat = heartbeat;
        this.listener = listener;
        this.scheduler = scheduler;
        this.topologyEvents = resources.eventBus().get()
                .filter(event -> event instanceof ClusterTopologyChangedEvent)
                .subscribe(event -> scheduler.execute(this::topologyChanged));
        scheduler.scheduleWithFixedDelay(this::confirm, heartbeat.toNanos(), heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Links every primary now; one that does not answer is retried, and until then the L1 serves nothing as fresh. */
    @Override
    public synchronized void start() {
        reconcile();
        if (!epoch.live()) {
            log.warn("cachep-client: not every primary of the cluster answered; reads go to Redis until all are linked");
        }
    }

    @Override
    public TrackingEpoch epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Void> catchUp() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (this) {
            links.values().forEach(link -> all.add(link.catchUp()));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Links every primary of the client's current topology, unlinks nodes that are no longer primaries. */
    private synchronized void reconcile() {
        if (closed) {
            return;
        }
        Map<String, RedisURI> primaries = new HashMap<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                primaries.put(node.getNodeId(), nodeUri(node.getUri()));
            }
        }
        links.entrySet().removeIf(link -> {
            boolean gone = !primaries.containsKey(link.getKey());
            if (gone) {
                link.getValue().close();
            }
            return gone;
        });
        primaries.forEach((nodeId, uri) -> links.computeIfAbsent(nodeId, id -> {
            InvalidationLink link = new InvalidationLink(resources, uri, prefix, timeout, heartbeat, new NodeListener(),
                    scheduler);
            try {
                link.start();
            } catch (RuntimeException e) {
                log.debug("cachep-client: no invalidation link to {} yet: {}", uri, e.getMessage());
            }
            return link;
        }));
        boolean whole = !links.isEmpty() && links.values().stream().allMatch(InvalidationLink::live);
        if (whole && !epoch.live()) {
            epoch = TrackingEpoch.begin(epochs.incrementAndGet(), System.nanoTime());
            if (epoch.number() > 1) {
                log.info("cachep-client: every primary linked again ({}, {} primaries)", epoch, links.size());
            }
        }
    }

    private void topologyChanged() {
        end("the cluster's topology changed");
        reconcile();
    }

    private void end(String why) {
        TrackingEpoch ending = epoch;
        if (ending.live()) {
            ending.end();
            log.info("cachep-client: {}: {}; copies read before are re-read on their next use", why, ending);
        }
    }

    /** Confirms the cluster epoch as of when PINGs went to every primary, once all came back. */
    private void confirm() {
        TrackingEpoch current = epoch;
        if (!current.live()) {
            if (!closed) {
                reconcile();  // a node that was down may answer now
            }
            return;
        }
        long sentAt = System.nanoTime();
        catchUp().thenRun(() -> current.confirm(sentAt)).exceptionally(failure -> null);
    }

    private RedisURI nodeUri(RedisURI node) {
        return RedisURI.builder(template).withHost(node.getHost()).withPort(node.getPort()).build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        topologyEvents.dispose();
        epoch.end();
        links.values().forEach(InvalidationLink::close);
        links.clear();
    }

    /** A node's link reports to the client, and ends or may renew the cluster's epoch. */
    private final class NodeListener implements InvalidationLink.Listener {
        @Override
        public void changed(List<String> redisKeys) {
            listener.changed(redisKeys);
        }

        @Override
        public void flushed() {
            listener.flushed();
        }

        @Override
        public void lost() {
            end("an invalidation link to a primary was lost");
        }

        @Override
        public void back() {
            scheduler.execute(ClusterLinks.this::reconcile);
        }
    }
}
