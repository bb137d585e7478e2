package io.cachep.dlqtool.verify.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** What the run's processes send each other: share messages, the partitioner's choice, and share results in Redis. */
class ShareWireTest {
    @Test
    void shouldCarryALogRecordThroughAShareMessageByteForByte() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "started".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        ShareMessage sent = ShareMessage.event(ShareMessage.Kind.ENTRY, "events", "k".getBytes(StandardCharsets.UTF_8),
                null, headers, 42L);

        ShareMessage read = ShareMessage.decode(sent.encode());

        assertThat(read.kind()).isEqualTo(ShareMessage.Kind.ENTRY);
        assertThat(read.topic()).isEqualTo("events");
        assertThat(read.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(read.value()).as("a tombstone stays a tombstone").isNull();
        assertThat(read.timestamp()).isEqualTo(42L);
        assertThat(read.headers().toArray()).hasSize(2);
        assertThat(read.headers().lastHeader("ce_type").value()).isEqualTo("started".getBytes(StandardCharsets.UTF_8));
        assertThat(read.headers().lastHeader("empty").value()).isNull();
        assertThat(ShareMessage.decode(ShareMessage.end("events-2").encode()).source()).isEqualTo("events-2");
    }

    @Test
    void shouldSendAnEntryToItsOneShareAndTagsAndEndsToEveryShare() {
        SharePartitioner partitioner = new SharePartitioner();
        byte[] entry = ShareMessage.event(ShareMessage.Kind.ENTRY, "t", null, new byte[0], null, 0).encode();
        byte[] tags = ShareMessage.event(ShareMessage.Kind.TAGS, "t", null, new byte[0], null, 0).encode();

        assertThat(partitioner.partitions("r", "demo:user:{u-1}:sessions", entry, 4))
                .contains(Set.of(SharePartitioner.shareOf("demo:user:{u-1}:sessions", 4)));
        assertThat(partitioner.partitions("r", EntrySplitter.TAGS_KEY, tags, 4)).contains(Set.of(0, 1, 2, 3));
        assertThat(partitioner.partitions("r", EntrySplitter.END_KEY, ShareMessage.end("t-0").encode(), 3))
                .contains(Set.of(0, 1, 2));
        assertThat(SharePartitioner.shareOf("demo:session:{s-1}", 1)).isZero();
    }

    @Test
    void shouldReadAShareResultAsItWasWritten() {
        Map<Divergence.Kind, Long> kinds = new EnumMap<>(Divergence.Kind.class);
        kinds.put(Divergence.Kind.MISSING, 3L);
        kinds.put(Divergence.Kind.DIFFERENT_MEMBERS, 1L);
        List<Divergence> sample = List.of(
                new Divergence(Divergence.Kind.MISSING, "demo:h",
                        new EntrySnapshot("demo:h", EntrySnapshot.Type.HASH, Map.of("a", "1"), 1_700_000_000_000L), null),
                new Divergence(Divergence.Kind.DIFFERENT_MEMBERS, "demo:z",
                        new EntrySnapshot("demo:z", EntrySnapshot.Type.ZSET, Map.of("m", 1.5), null),
                        new EntrySnapshot("demo:z", EntrySnapshot.Type.SET, Set.of("m"), null)),
                new Divergence(Divergence.Kind.EXTRA, "demo:s", null,
                        new EntrySnapshot("demo:s", EntrySnapshot.Type.STRING, "x", null)));
        ShareResult written = new ShareResult(2, 10, kinds, sample, "host:1:ab");

        ShareResult read = ShareResult.fromJson(written.toJson());

        assertThat(read.share()).isEqualTo(2);
        assertThat(read.entries()).isEqualTo(10);
        assertThat(read.byKind()).isEqualTo(kinds);
        assertThat(read.sample()).isEqualTo(sample);
        assertThat(read.comparedBy()).isEqualTo("host:1:ab");
    }
}
