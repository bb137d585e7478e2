package io.cachep.projector.inflight;

import org.apache.kafka.common.header.Headers;

/** Where an event came from, kept byte for byte while its writes are in flight, so it can still be dead-lettered. */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp,
                           Headers headers) {
    /** Topic-partition@offset, how messages locate a record. */
    public String location() {
        return topic + "-" + partition + "@" + offset;
    }

    public long sizeInBytes() {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }
}
