package io.cachep.rulesfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.rules.MutationTemplate;
import io.cachep.rules.ProjectionRules;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulesFileLoaderTest {

    private static InvalidRulesException problemsOf(String yaml) {
        try {
            RulesFileLoader.parse("rules.yaml", yaml);
        } catch (InvalidRulesException e) {
            return e;
        }
        throw new AssertionError("expected the rules to be refused");
    }

    @Test
    void shouldLoadTheDemoRulesShippedWithTheRepository() {
        ProjectionRules rules = RulesFileLoader.load(Path.of("..", "rules", "demo.yaml"));
        assertThat(rules.namespace()).isEqualTo("demo");
        assertThat(rules.tombstoneRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(rules.topics()).containsExactly("session-events");
        assertThat(rules.rules().get(0).mutations().get(0)).isInstanceOf(MutationTemplate.UpsertTemplate.class);
        MutationTemplate.UpsertTemplate upsert = (MutationTemplate.UpsertTemplate) rules.rules().get(0).mutations().get(0);
        assertThat(upsert.ttl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(upsert.hash()).containsOnlyKeys("userId", "device", "startedAt", "lastSeenAt");
    }

    @Test
    void shouldNameFileLineColumnRuleMutationAndFieldOfAMisspeltField() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: session-started
                    topic: session-events
                    type: com.example.session.started
                    mutations:
                      - upsert:
                          key: "session:{subject}"
                          hsh: { userId: "{data.userId}" }
                """);
        assertThat(e.problems()).contains(
                "rules.yaml:9:11: rule 'session-started', mutation 1 (upsert): unknown field 'hsh', did you mean 'hash'?");
    }

    @Test
    void shouldReportEveryProblemOfTheFileAtOnce() {
        InvalidRulesException e = problemsOf("""
                namespace: "demo space"
                tombstone-retention: forever
                rules:
                  - name: a
                    topic: t
                    type: x
                    mutations: []
                  - name: a
                    topic: t
                    type: y
                    mutations:
                      - upsrt: { key: "k:{subject}" }
                      - upsert: { key: "fixed", hash: { f: "{data.f}" }, ttl: 10 }
                      - delete: { key: "k:{subjekt}" }
                  - topic: t
                    mutations:
                      - invalidate: { key: "k:{subject}", channel: c }
                """);
        assertThat(e.problems()).hasSize(10);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("rules.yaml:1:12: top level").contains("namespace"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("rules.yaml:2:22:").contains("not a duration"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("rule 'a'").contains("at least one mutation"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("rules.yaml:8:").contains("duplicate rule name"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("unknown operation 'upsrt', did you mean 'upsert'?"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 2 (upsert)").contains("no placeholder"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 2 (upsert), field 'ttl'").contains("not a duration"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 3 (delete)").contains("unknown placeholder {subjekt}"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("rule 3").contains("missing field 'name'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("rule 3").contains("missing field 'type'"));
        assertThat(e.getMessage()).startsWith("rules file rules.yaml has 10 problems:");
    }

    @Test
    void shouldExplainAnUnquotedTemplateThatYamlReadAsAMapping() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: r
                    topic: t
                    type: x
                    mutations:
                      - upsert: { key: "k:{subject}", json: {data} }
                """);
        assertThat(e.problems()).singleElement().asString().contains("quote templates that start with '{'");
    }

    @Test
    void shouldRefuseDuplicateKeysAndKeysInCachepsReservedPrefix() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                namespace: other
                rules:
                  - name: r
                    topic: t
                    type: x
                    mutations:
                      - delete: { key: "~fence:{subject}" }
                """);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("rules.yaml:2:1:").contains("duplicate key 'namespace'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("may not start with '~'"));
    }

    @Test
    void shouldSayPlainlyWhichOperationsThisVersionCannotApplyYet() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: r
                    topic: t
                    type: x
                    mutations:
                      - merge: { key: "k:{subject}", hash-from: data }
                """);
        assertThat(e.problems()).singleElement().asString().contains("operation 'merge' is not available in this version");
    }
}
