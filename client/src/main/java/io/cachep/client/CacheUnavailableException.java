package io.cachep.client;

/**
 * Redis did not answer a read, and the L1 had no copy recent enough to serve flagged as stale (or degraded reads are
 * off: {@link CachepClient.Builder#maxStaleness}). Raised at once, within the read timeout, never after a hang.
 */
public class CacheUnavailableException extends CachepClientException {
    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
