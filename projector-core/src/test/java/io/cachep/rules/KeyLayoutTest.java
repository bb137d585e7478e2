package io.cachep.rules;

import static org.assertj.core.api.Assertions.assertThat;

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
}
