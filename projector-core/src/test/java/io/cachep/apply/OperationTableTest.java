package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.Mutation;
import io.cachep.rules.Operation;
import io.cachep.rules.RuleEngine;
import io.cachep.rulesfile.RulesFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds every place that must know an operation to the table of operations ({@link Operation}): the rules file loader
 * and the renderer (each operation, written in a rules file, renders to a mutation of that operation), the encoding of
 * a call to the library (with the operation's opcode), the library's {@code apply} (it parses every opcode and expects
 * the operation's Redis type) and docs/rules.md (a section per operation). A new operation fails here until each of
 * them knows it; docs/architecture.md ("Adding an operation") says where.
 */
class OperationTableTest {
    /** One use of each operation in a rules file: a new operation needs one here. */
    private static final Map<Operation, String> EXAMPLES = new EnumMap<>(Map.of(
            Operation.UPSERT, "upsert: { key: \"k:{subject}\", hash: { a: \"{data.a}\" } }",
            Operation.MERGE, "merge: { key: \"k:{subject}\", hash-from: data }",
            Operation.DELETE, "delete: { key: \"k:{subject}\" }",
            Operation.INVALIDATE, "invalidate: { key: \"k:{subject}\", channel: changes }",
            Operation.EXPIRE, "expire: { key: \"k:{subject}\", ttl: 1h }",
            Operation.SET_ADD, "set-add: { key: \"k:{subject}\", member: \"{data.a}\" }",
            Operation.SET_REMOVE, "set-remove: { key: \"k:{subject}\", member: \"{data.a}\" }",
            Operation.ZSET_ADD, "zset-add: { key: \"k:{subject}\", member: \"{data.a}\", score: \"{data.n}\" }",
            Operation.ZSET_REMOVE, "zset-remove: { key: \"k:{subject}\", member: \"{data.a}\" }",
            Operation.INVALIDATE_TAG, "invalidate-tag: { tag: \"t:{subject}\" }"));
    private static final EventEnvelope EVENT = new EventEnvelope("e-1", "happened", "/test", "s-1",
            Instant.parse("2026-11-23T10:00:00Z"), 3, Map.of("a", "x", "n", 2), "{}");

    @Test
    void shouldHaveAnExampleOfEveryOperation() {
        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrder(Operation.values());
    }

    @Test
    void shouldLoadAndRenderEveryOperationAsAMutationOfThatOperation() {
        for (Operation operation : Operation.values()) {
            assertThat(render(operation)).as(operation.ruleName()).extracting(Mutation::operation).isEqualTo(operation);
        }
    }

    @Test
    void shouldEncodeEveryEntryOperationWithItsOpcode() {
        for (Operation operation : Operation.values()) {
            if (render(operation) instanceof Mutation.EntryMutation entry) {
                FencedApplyScript.Call call = new FencedApplyScript.Batch(Duration.ofHours(1))
                        .add(new EventStamp(3, 1000), List.of(entry)).build();
                // retention, events, version, time, operations, then the opcode
                assertThat(operation.opcodes()).as(operation.ruleName()).contains(call.args()[5]);
            }
        }
    }

    @Test
    void shouldHaveTheLibraryParseEveryOpcodeAndExpectEveryRedisType() throws IOException {
        String apply = Files.readString(Path.of("src/main/resources/io/cachep/apply/library/apply.lua"));
        Matcher expected = Pattern.compile("local EXPECTED_TYPE = \\{([^}]*)}").matcher(apply);
        assertThat(expected.find()).as("apply.lua declares EXPECTED_TYPE").isTrue();
        for (Operation operation : Operation.values()) {
            for (String opcode : operation.opcodes()) {
                assertThat(apply).as("apply.lua parses %s (%s)", opcode, operation.ruleName())
                        .containsPattern("code == '" + opcode + "'");
            }
            for (String type : operation.redisTypes()) {
                assertThat(expected.group(1)).as("apply.lua expects %s for %s", type, operation.ruleName())
                        .containsPattern("(" + String.join("|", operation.opcodes()) + ") = '" + type + "'");
            }
        }
    }

    @Test
    void shouldDocumentEveryOperationInTheRulesReference() throws IOException {
        String rules = Files.readString(Path.of("..", "docs", "rules.md"));
        for (Operation operation : Operation.values()) {
            assertThat(rules).as("docs/rules.md has a section for %s", operation.ruleName())
                    .containsPattern("(?m)^### .*`" + Pattern.quote(operation.ruleName()) + "`");
        }
    }

    private static Mutation render(Operation operation) {
        String rules = """
                namespace: ns
                rules:
                  - name: example
                    topic: events
                    type: happened
                    mutations:
                      - %s
                """.formatted(EXAMPLES.get(operation));
        List<Mutation> mutations = new RuleEngine(RulesFileLoader.parse("example.yaml", rules)).project("events", EVENT);
        assertThat(mutations).as(operation.ruleName()).hasSize(1);
        return mutations.get(0);
    }
}
