package io.cachep.client;

import java.util.concurrent.CompletableFuture;

/**
 * Where the L1 learns what changed: one {@link InvalidationLink} for a single server, {@link ClusterLinks} (a link per
 * primary) for a Redis Cluster. Either way the L1 sees one {@link TrackingEpoch}: copies are fresh only while it is
 * live and recently confirmed.
 */
interface InvalidationSource extends AutoCloseable {
    /** Connects and starts tracking now; fails as Lettuce does when Redis cannot be reached or refuses. */
    void start();

    /** The current epoch ({@link TrackingEpoch#NONE} or an ended one while tracking is not whole). */
    TrackingEpoch epoch();

    /** Completes once every invalidation Redis sent before now has been handled. */
    CompletableFuture<Void> catchUp();

    @Override
    void close();
}
