package io.cachep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {
    private final KeyLayout live = new KeyLayout("demo");

    @Test
    void shouldPutTheShadowUnderTheLiveNamespacesMetadataWithTheSameHashTag() {
        EntryKey shadow = live.shadow().entry("session:{s-17}");

        assertThat(shadow.data()).isEqualTo("demo:~rebuild:session:{s-17}");
        assertThat(shadow.fence()).isEqualTo("demo:~rebuild:~fence:session:{s-17}");
        assertThat(shadow.hashTag()).isEqualTo(live.entry("session:{s-17}").hashTag()).isEqualTo("s-17");
        assertThat(live.isMetadata(shadow.data())).isTrue();
        assertThat(live.isMetadata(shadow.fence())).isTrue();
        assertThat(live.shadow().fenceScanPattern()).isEqualTo("demo:~rebuild:~fence:*");
    }

    @Test
    void shouldNameTheEntryOfADataOrFenceKeyAndNothingElse() {
        assertThat(live.renderedKeyOf("demo:session:{s-1}")).contains("session:{s-1}");
        assertThat(live.renderedKeyOf("demo:~fence:session:{s-1}")).contains("session:{s-1}");
        assertThat(live.renderedKeyOf("demo:~tag:tenant:{t-1}")).isEmpty();
        assertThat(live.renderedKeyOf("demo:~rebuild:session:{s-1}")).isEmpty();
        assertThat(live.renderedKeyOf("other:session:{s-1}")).isEmpty();
        assertThat(live.shadow().renderedKeyOf("demo:~rebuild:~fence:session:{s-1}")).contains("session:{s-1}");
    }

    @Test
    void shouldNameTheTagOfAnIndexOrAnInvalidationMarker() {
        TagKey tag = live.tag("tenant:{t-1}");

        assertThat(live.renderedTagOf(tag.index())).contains("tenant:{t-1}");
        assertThat(live.renderedTagOf(tag.flushedAt())).contains("tenant:{t-1}");
        assertThat(live.renderedTagOf("demo:session:{s-1}")).isEmpty();
        assertThat(live.tagScanPattern()).isEqualTo("demo:~tag*");
    }

    @Test
    void shouldNameTheTagOfAClusterRegistryButNotOfAShard() {
        TagKey tag = live.tag("tenant:{t-1}");
        TagKey shard = live.tagShard(tag, 42);

        assertThat(live.renderedTagOf(live.tagSlots(tag))).contains("tenant:{t-1}");
        assertThat(live.shadow().renderedTagOf(live.shadow().tagSlots(live.shadow().tag("tenant:{t-1}"))))
                .contains("tenant:{t-1}");
        assertThat(live.renderedTagOf(shard.index())).isEmpty();
        assertThat(live.renderedTagOf(shard.flushedAt())).isEmpty();
        assertThat(live.tagSlots(tag)).startsWith(live.tagScanPattern().replace("*", ""));
    }

    @Test
    void shouldKeepAnEntrysShadowAndLiveKeysOnOneClusterSlot() {
        for (String rendered : new String[] {"session:{s-17}", "user:{u-1}:sessions", "a:{x}:b:{y}", "item:{i-9}"}) {
            EntryKey entry = live.entry(rendered);
            EntryKey shadow = live.shadow().entry(rendered);
            int slot = SlotTokens.slotOf(entry.data());

            assertThat(List.of(entry.fence(), shadow.data(), shadow.fence())).as(rendered)
                    .allSatisfy(key -> assertThat(SlotTokens.slotOf(key)).isEqualTo(slot));
        }
    }

    @Test
    void shouldPutAShadowTagShardOnTheSameSlotAsTheLiveOne() {
        TagKey liveTag = live.tag("tenant:{t-1}");
        TagKey shadowTag = live.shadow().tag("tenant:{t-1}");

        assertThat(SlotTokens.slotOf(live.shadow().tagShard(shadowTag, 1234).index()))
                .isEqualTo(SlotTokens.slotOf(live.tagShard(liveTag, 1234).index())).isEqualTo(1234);
    }
}
