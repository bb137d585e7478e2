package io.cachep.client;

/** The root of every error the client raises, so a service can catch the client's failures in one place. */
public class CachepClientException extends RuntimeException {
    public CachepClientException(String message) {
        super(message);
    }

    public CachepClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
