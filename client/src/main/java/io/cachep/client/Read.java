package io.cachep.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry as a read returned it: its value (empty when the entry does not exist), the version the projector's fence
 * holds for it, where it came from, and whether it is stale.
 *
 * <p>A stale read was served from the L1 while Redis did not answer (degraded mode), and says how long ago the copy was
 * last known to be true. Reads are never stale silently: a fresh read has {@link #stale()} false and {@link #staleFor()}
 * zero.
 *
 * @param <T> the value's type, set by the {@link EntryKind} read
 */
public final class Read<T> {
    private final String key;
    private final T value;
    private final Long version;
    private final Layer layer;
    private final Duration staleFor;

    Read(String key, T value, Long version, Layer layer, Duration staleFor) {
        this.key = key;
        this.value = value;
        this.version = version;
        this.layer = layer;
        this.staleFor = staleFor;
    }

    /** The key within the namespace, as it was asked for (e.g. {@code session:{s-17}}). */
    public String key() {
        return key;
    }

    /** The value, or empty when the entry does not exist (never written, deleted, expired or invalidated). */
    public Optional<T> value() {
        return Optional.ofNullable(value);
    }

    /** Whether the entry exists. */
    public boolean present() {
        return value != null;
    }

    /**
     * The highest {@code entityversion} the entry's fence records (a whole-entry write, its expiry, or any merged
     * field or set member), also for a deleted entry; empty when Redis keeps no fence for it.
     */
    public OptionalLong version() {
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** Where the read was served from. */
    public Layer layer() {
        return layer;
    }

    /** Whether the value was served from the L1 while Redis did not answer. */
    public boolean stale() {
        return !staleFor.isZero();
    }

    /** How long ago a stale value was last known to be true; zero for a fresh read. */
    public Duration staleFor() {
        return staleFor;
    }

    Long rawVersion() {
        return version;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Read<?> read && key.equals(read.key) && Objects.equals(value, read.value)
                && Objects.equals(version, read.version) && layer == read.layer && staleFor.equals(read.staleFor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, version, layer, staleFor);
    }

    @Override
    public String toString() {
        return "Read[" + key + (present() ? " = " + value : " absent") + ", version " + version + ", " + layer
                + (stale() ? ", stale for " + staleFor : "") + "]";
    }
}
