package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryKeysTest {
    private final EntryKeys keys = new EntryKeys("demo");

    @Test
    void shouldMapAKeyWithinTheNamespaceToItsEntryAndFence() {
        assertThat(keys.entry("session:{s-17}")).isEqualTo("demo:session:{s-17}");
        assertThat(keys.fenceOf("demo:session:{s-17}")).isEqualTo("demo:~fence:session:{s-17}");
        assertThat(keys.local("demo:session:{s-17}")).isEqualTo("session:{s-17}");
    }

    @Test
    void shouldTakeAChangedFenceForItsEntryAndIgnoreOtherMetadataAndOtherNamespaces() {
        assertThat(keys.entryOfChanged("demo:session:{s-17}")).isEqualTo("demo:session:{s-17}");
        assertThat(keys.entryOfChanged("demo:~fence:session:{s-17}")).isEqualTo("demo:session:{s-17}");
        assertThat(keys.entryOfChanged("demo:~tag:tenant:{t-1}")).isNull();
        assertThat(keys.entryOfChanged("demo:~rebuild:session:{s-17}")).isNull();
        assertThat(keys.entryOfChanged("demo2:session:{s-17}")).isNull();
    }

    @Test
    void shouldRefuseMetadataKeysAndBadNamespaces() {
        assertThatThrownBy(() -> keys.entry("~fence:session:{s-17}")).hasMessageContaining("metadata");
        assertThatThrownBy(() -> keys.entry("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntryKeys("de mo")).hasMessageContaining("namespace 'de mo'");
    }
}
