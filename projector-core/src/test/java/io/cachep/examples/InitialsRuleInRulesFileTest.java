package io.cachep.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.Mutation;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.spi.CustomRules;
import io.cachep.rulesfile.RulesFileLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rules file names {@code custom: initials}; the loader finds {@link InitialsRule} with ServiceLoader. */
class InitialsRuleInRulesFileTest {
    private static final String RULES = """
            namespace: demo
            rules:
              - name: profile-snapshot
                topic: profile-events
                type: com.example.profile.snapshot
                mutations:
                  - upsert: { key: "user:{subject}:card", json: "{data}" }
              - name: profile-initials
                topic: profile-events
                type: com.example.profile.snapshot
                custom: initials
            """;

    private static EventEnvelope snapshot(Map<String, Object> data, String json) {
        return new EventEnvelope("e-7", "com.example.profile.snapshot", "/test", "u-1",
                Instant.parse("2026-11-23T10:00:00Z"), 2, data, json);
    }

    @Test
    void shouldFindTheInitialsRuleOnTheClassPathThroughServiceLoader() {
        CustomRules discovered = CustomRules.discover();

        assertThat(discovered.names()).contains("initials");
        assertThat(discovered.get("initials")).isInstanceOf(InitialsRule.class);
    }

    @Test
    void shouldLoadARulesFileNamingTheCustomRuleAndProjectTheInitialsAfterTheCard() {
        ProjectionRules rules = RulesFileLoader.parse("custom.yaml", RULES);
        assertThat(rules.rules()).extracting(r -> r.custom()).containsExactly(null, "initials");

        List<Mutation> mutations = new RuleEngine(rules).project("profile-events",
                snapshot(Map.of("displayName", "Ada Lovelace"), "{\"displayName\":\"Ada Lovelace\"}"));

        assertThat(mutations).hasSize(2);
        assertThat(mutations.get(0)).isInstanceOfSatisfying(Mutation.Upsert.class,
                card -> assertThat(card.key().data()).isEqualTo("demo:user:{u-1}:card"));
        assertThat(mutations.get(1)).isInstanceOfSatisfying(Mutation.Upsert.class, initials -> {
            assertThat(initials.rule()).isEqualTo("profile-initials");
            assertThat(initials.key().data()).isEqualTo("demo:user:{u-1}:initials");
            assertThat(initials.key().fence()).isEqualTo("demo:~fence:user:{u-1}:initials");
            assertThat(initials.json()).isEqualTo("AL");
            assertThat(initials.hash()).isNull();
        });
    }

    @Test
    void shouldMakeASnapshotWithoutDisplayNameAPoisonEventNamingTheCustomRule() {
        RuleEngine engine = new RuleEngine(RulesFileLoader.parse("custom.yaml", RULES));

        assertThatThrownBy(() -> engine.project("profile-events", snapshot(Map.of("email", "ada@example.com"),
                "{\"email\":\"ada@example.com\"}")))
                .isInstanceOfSatisfying(PoisonEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PoisonReason.TEMPLATE_FIELD_MISSING);
                    assertThat(e.rule()).isEqualTo("profile-initials");
                })
                .hasMessageContaining("rule 'profile-initials' (custom initials)")
                .hasMessageContaining("data.displayName")
                .hasMessageNotContaining("ada@example.com");
    }
}
