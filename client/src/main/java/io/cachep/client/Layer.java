package io.cachep.client;

/** Where a read was served from. */
public enum Layer {
    /** The in-process cache. */
    L1,
    /** Redis itself. */
    REDIS;

    /** The metric tag value. */
    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
