package io.cachep.client;

/**
 * Redis holds an older version of an entry than this client has already returned: Redis lost acknowledged writes (a
 * failover, a restart without AOF, a bad FLUSHALL, a restore). The client does not return the older version, since
 * reads are monotonic per key; {@code dlq-tool verify --repair} puts the entries back from the log.
 */
public class CacheRegressionException extends CachepClientException {
    public CacheRegressionException(String message) {
        super(message);
    }
}
