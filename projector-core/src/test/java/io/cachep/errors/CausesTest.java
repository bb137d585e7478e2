package io.cachep.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void listsTheFailureThenItsCausesOutermostFirst() {
        IllegalStateException root = new IllegalStateException("root");
        RuntimeException middle = new RuntimeException("middle", root);
        RuntimeException top = new RuntimeException("top", middle);

        assertThat(Causes.of(top)).containsExactly(top, middle, root);
    }

    @Test
    void aChainThatLoopsEndsWhereItWouldRepeat() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(Causes.of(first)).containsExactly(first, second);
    }
}
