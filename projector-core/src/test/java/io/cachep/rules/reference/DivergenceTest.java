package io.cachep.rules.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What verify calls a difference: every kind by key, and an expiry within the migration tolerance as the same. */
class DivergenceTest {
    private static final long AT = 1_800_000_000_000L;

    @Test
    void eachKindOfDifferenceIsNamedByKey() {
        Map<String, EntrySnapshot> expected = Map.of(
                "missing", hash("missing", "a", null),
                "value", hash("value", "a", null),
                "type", hash("type", "a", null),
                "expiry", hash("expiry", "a", AT),
                "same", hash("same", "a", AT));
        Map<String, EntrySnapshot> actual = Map.of(
                "extra", hash("extra", "a", null),
                "value", hash("value", "b", null),
                "type", new EntrySnapshot("type", EntrySnapshot.Type.STRING, "a", null),
                "expiry", hash("expiry", "a", AT + 60_000),
                "same", hash("same", "a", AT));

        assertThat(Divergence.between(expected, actual)).extracting(Divergence::key, Divergence::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("expiry", Divergence.Kind.DIFFERENT_EXPIRY),
                org.assertj.core.groups.Tuple.tuple("extra", Divergence.Kind.EXTRA),
                org.assertj.core.groups.Tuple.tuple("missing", Divergence.Kind.MISSING),
                org.assertj.core.groups.Tuple.tuple("type", Divergence.Kind.DIFFERENT_TYPE),
                org.assertj.core.groups.Tuple.tuple("value", Divergence.Kind.DIFFERENT_VALUE));
    }

    @Test
    void anExpiryShiftedByASlotMigrationIsTheSameButOneBeyondTheToleranceOrMissingIsNot() {
        Map<String, EntrySnapshot> expected = Map.of("k", hash("k", "a", AT));

        assertThat(Divergence.between(expected, Map.of("k", hash("k", "a", AT + 1)))).isEmpty();
        assertThat(Divergence.between(expected, Map.of("k", hash("k", "a", AT - Divergence.EXPIRY_TOLERANCE_MILLIS))))
                .isEmpty();
        assertThat(Divergence.between(expected, Map.of("k", hash("k", "a", AT + Divergence.EXPIRY_TOLERANCE_MILLIS + 1))))
                .extracting(Divergence::kind).containsExactly(Divergence.Kind.DIFFERENT_EXPIRY);
        assertThat(Divergence.between(expected, Map.of("k", hash("k", "a", null))))
                .extracting(Divergence::kind).containsExactly(Divergence.Kind.DIFFERENT_EXPIRY);
    }

    private static EntrySnapshot hash(String key, String value, Long expireAt) {
        return new EntrySnapshot(key, EntrySnapshot.Type.HASH, Map.of("f", value), expireAt);
    }
}
