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
        assertThat(rules.topics()).containsExactly("session-events", "profile-events", "room-events", "tenant-events");
        assertThat(rules.rules()).extracting(r -> r.name()).contains("profile-initials", "tenant-flushed");
        assertThat(rules.rules().get(0).mutations().get(0)).isInstanceOf(MutationTemplate.UpsertTemplate.class);
        MutationTemplate.UpsertTemplate upsert = (MutationTemplate.UpsertTemplate) rules.rules().get(0).mutations().get(0);
        assertThat(upsert.options().ttl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(upsert.hash()).containsOnlyKeys("userId", "device", "startedAt");
        assertThat(upsert.options().tags()).extracting(t -> t.source()).containsExactly("tenant:{data.tenantId}");
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
    void shouldRefuseWritesInAnOnTombstoneRuleSinceATombstoneHasNoData() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: gone
                    topic: t
                    on-tombstone: true
                    mutations:
                      - upsert: { key: "k:{subject}", json: "{data}" }
                      - delete: { key: "k:{data.id}" }
                """);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).contains("mutation 1").contains("on-tombstone rule may only");
        assertThat(e.problems().get(1)).contains("mutation 2 (delete)").contains("has no data");
    }

    @Test
    void shouldCheckEveryOperationsOwnFields() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: r
                    topic: t
                    type: x
                    mutations:
                      - merge: { key: "k:{subject}" }
                      - expire: { key: "k:{subject}" }
                      - zset-add: { key: "z:{subject}", member: "{data.u}" }
                      - set-add: { key: "s:{subject}", member: "{data.u}", tags: "tenant" }
                      - invalidate: { key: "k:{subject}" }
                      - custom-thing: { key: "k:{subject}" }
                """);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 1 (merge)").contains("'hash-from'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 2 (expire)").contains("exactly one of 'ttl' or 'expires-at'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 3 (zset-add)").contains("missing field 'score'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 4 (set-add), field 'tags'").contains("only an upsert may tag"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 5 (invalidate)").contains("missing field 'channel'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("mutation 6").contains("unknown operation 'custom-thing'"));
    }

    @Test
    void shouldNameAnUnregisteredCustomRule() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: r
                    topic: t
                    type: x
                    custom: no-such-rule
                """);
        assertThat(e.problems()).singleElement().asString().contains("no custom rule named 'no-such-rule'");
    }

    @Test
    void shouldRefusePerFieldWritesToATaggedKeyBecauseInvalidationDropsWholeEntries() {
        InvalidRulesException e = problemsOf("""
                namespace: demo
                rules:
                  - name: saved
                    topic: t
                    type: saved
                    mutations:
                      - upsert: { key: "prefs:{subject}", hash: { a: "{data.a}" }, tags: ["tenant:{data.t}"] }
                  - name: tweaked
                    topic: t
                    type: tweaked
                    mutations:
                      - merge: { key: "prefs:{subject}", hash-from: data }
                      - expire: { key: "prefs:{subject}", ttl: 1h }
                """);
        assertThat(e.problems()).singleElement().asString()
                .startsWith("rules.yaml:12:23: rule 'tweaked', mutation 1 (merge), field 'key'")
                .contains("is tagged (rule 'saved', mutation 1 (upsert))");
    }
}
