package io.cachep.dlqtool.verify.share;

import io.cachep.apply.RedisTarget;
import io.cachep.rules.RuleEngine;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The shared verify's topology, built by this one function: the rules' topics (bytes) → {@link EntrySplitter} →
 * a repartition by entry key into the run's shares ({@link SharePartitioner}; tag invalidations and end markers to
 * every share) → {@link ShareFolder} with its three stores (entries, tag invalidations, marks). Every node, store and
 * internal topic is named.
 */
final class ShareTopology {
    static final String SOURCE = "verify-source";
    static final String SPLIT = "verify-split";
    static final String SHARES = "verify-shares";
    static final String FOLD = "verify-fold";
    static final String ENTRIES = "verify-entries";
    static final String TAGS = "verify-tags";
    static final String MARKS = "verify-marks";

    private ShareTopology() {}

    static Topology build(RuleEngine engine, RunDescriptor run, RedisTarget redis, RunRecords records, ShareStats stats,
                          PrintWriter err, Properties streamsProperties) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ENTRIES),
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TAGS),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MARKS),
                Serdes.String(), Serdes.Long()));
        Map<String, Long> lastOffsets = run.lastOffsets();
        builder.stream(engine.rules().topics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
                .<String, byte[]>process(() -> new EntrySplitter(engine, lastOffsets, stats), Named.as(SPLIT))
                .repartition(Repartitioned.<String, byte[]>with(Serdes.String(), Serdes.ByteArray())
                        .withName(SHARES)
                        .withNumberOfPartitions(run.shares())
                        .withStreamPartitioner(new SharePartitioner()))
                .process(() -> new ShareFolder(engine, run, redis, records, stats, err), Named.as(FOLD),
                        ENTRIES, TAGS, MARKS);
        return builder.build(streamsProperties);
    }
}
