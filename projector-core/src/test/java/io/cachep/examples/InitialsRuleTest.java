package io.cachep.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.spi.RuleContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's custom rule on its own: a user's initials beside the profile. */
class InitialsRuleTest {
    private final InitialsRule rule = new InitialsRule();
    private final RuleContext context = new RuleContext("profile-initials", new KeyLayout("demo"));

    private static EventEnvelope profile(Map<String, Object> data) {
        return new EventEnvelope("e-1", "com.example.profile.snapshot", "/test", "u-1",
                Instant.parse("2026-11-23T10:00:00Z"), 4, data, "{}");
    }

    private String initialsOf(Object displayName) {
        Map<String, Object> data = new HashMap<>();
        data.put("displayName", displayName);
        Mutation.Upsert upsert = (Mutation.Upsert) rule.project(profile(data), context).get(0);
        return upsert.json();
    }

    @Test
    void shouldBeNamedAsTheRulesFileNamesIt() {
        assertThat(rule.name()).isEqualTo("initials");
    }

    @Test
    void shouldUpsertTheInitialsAsAStringBesideTheProfileWithoutExpiryOrTags() {
        List<Mutation> mutations = rule.project(profile(Map.of("displayName", "Ada Lovelace")), context);

        assertThat(mutations).containsExactly(new Mutation.Upsert("profile-initials",
                new KeyLayout("demo").entry("user:{u-1}:initials"), null, "AL", Mutation.NO_EXPIRY, List.of()));
        assertThat(((Mutation.Upsert) mutations.get(0)).key().data()).isEqualTo("demo:user:{u-1}:initials");
    }

    @Test
    void shouldTakeTheFirstLetterOfEachWordUpperCasedWhateverTheSpacing() {
        assertThat(initialsOf("ada lovelace")).isEqualTo("AL");
        assertThat(initialsOf("  Grace   Brewster\tHopper ")).isEqualTo("GBH");
        assertThat(initialsOf("Plato")).isEqualTo("P");
        assertThat(initialsOf("émilie du Châtelet")).isEqualTo("ÉDC");
    }

    @Test
    void shouldKeepACharacterOutsideTheBasicMultilingualPlaneWhole() {
        assertThat(initialsOf("𠮷田 太郎")).isEqualTo("𠮷太");
    }

    @Test
    void shouldMakeAProfileWithoutAUsableDisplayNameAPoisonEvent() {
        for (Map<String, Object> data : List.<Map<String, Object>>of(Map.of(), Map.of("displayName", "   "),
                Map.of("displayName", 42))) {
            assertThatThrownBy(() -> rule.project(profile(data), context))
                    .as("data %s", data)
                    .isInstanceOfSatisfying(PoisonEventException.class,
                            e -> assertThat(e.reason()).isEqualTo(PoisonReason.TEMPLATE_FIELD_MISSING))
                    .hasMessageContaining("data.displayName")
                    .hasMessageContaining("e-1");
        }
    }
}
