package io.cachep.apply;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.cachep.config.RedisEndpoint;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.List;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * Opens Redis clients with every option that bounds memory and time set explicitly, rather than Lettuce's defaults:
 * a Redis outage must stall the projector, never grow its heap or hang it.
 */
public final class RedisConnector {
    /** Commands Lettuce may queue per connection; past it, commands fail fast instead of buffering without bound. */
    public static final int REQUEST_QUEUE_SIZE = 10_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How often a cluster client rereads the topology even when nothing told it to. */
    private static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);

    private RedisConnector() {}

    /** A client for a configured endpoint: its credentials, TLS files and verification, and command timeout. */
    public static RedisClient client(RedisEndpoint endpoint) {
        return client(endpoint, null);
    }

    /** @param resources Lettuce's shared resources (event loops, latency metrics), or null for its defaults */
    public static RedisClient client(RedisEndpoint endpoint, ClientResources resources) {
        return client(RedisUris.of(endpoint), endpoint.commandTimeout(), resources,
                endpoint.tls() ? RedisTlsOptions.of(endpoint.tlsSettings()) : null);
    }

    /**
     * A Redis Cluster client for a configured endpoint (its seeds): the same bounds as {@link #client}, plus a
     * topology that follows failovers and slot migrations by itself, periodically and whenever a MOVED or ASK
     * redirection, a reconnect or an unknown node says it changed.
     */
    public static RedisClusterClient clusterClient(RedisEndpoint endpoint, ClientResources resources) {
        List<RedisURI> seeds = RedisUris.seeds(endpoint);
        seeds.forEach(uri -> uri.setTimeout(endpoint.commandTimeout()));
        RedisClusterClient client = resources == null ? RedisClusterClient.create(seeds)
                : RedisClusterClient.create(resources, seeds);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .autoReconnect(true)
                // Not REJECT_COMMANDS as for one server: a cluster client connects to a node on its first command and
                // would reject the commands that arrive meanwhile (lettuce#3747), so every new primary (after a
                // failover, too) would start with failures. Commands wait instead, bounded by the request queue and
                // the command timeout, and Lettuce resends them to the new owner of their slot.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(endpoint.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
        if (endpoint.tls()) {
            options.sslOptions(RedisTlsOptions.of(endpoint.tlsSettings()));
        }
        client.setOptions(options.build());
        return client;
    }

    /** A client for a bare URI (tests, the devstack's own Redis): no TLS files. */
    public static RedisClient client(RedisURI uri, Duration commandTimeout) {
        return client(uri, commandTimeout, null, null);
    }

    private static RedisClient client(RedisURI uri, Duration commandTimeout, ClientResources resources,
                                      SslOptions sslOptions) {
        uri.setTimeout(commandTimeout);
        RedisClient client = resources == null ? RedisClient.create(uri) : RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder();
        if (sslOptions != null) {
            options.sslOptions(sslOptions);
        }
        client.setOptions(options
                .autoReconnect(true)
                // While disconnected, fail commands at once: the caller retries from its last commit, and nothing
                // piles up in memory behind a dead connection.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build());
        return client;
    }
}
