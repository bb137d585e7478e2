package io.cachep.config;

import java.util.Objects;

/** One Redis node to connect to: the only one, or one seed of a cluster's seed list. */
public record Seed(String host, int port) {
    public Seed {
        Objects.requireNonNull(host, "host");
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
