package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.demo.KafkaAclTable.Acl;
import io.cachep.demo.KafkaAclTable.Block;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kafka-acls.sh lines of docs/security.md are the ACL table's rows, for the commands each block names: what
 * people copy is what {@link KafkaSecurityIT} tested.
 */
class KafkaAclDocsTest {

    @Test
    void shouldGiveEachUserExactlyTheAclsOfTheCommandsItsBlockNames() throws Exception {
        KafkaAclTable table = KafkaAclTable.load();
        // A user's later block adds to its earlier ones ("in addition to the read-only ones").
        Map<String, Set<Acl>> grantedSoFar = new HashMap<>();
        for (Block block : table.blocks()) {
            Set<Acl> earlier = grantedSoFar.getOrDefault(block.principal(), Set.of());
            Set<Acl> needed = new HashSet<>(earlier);
            block.commands().forEach(command -> needed.addAll(table.row(command)));
            Set<Acl> expected = new HashSet<>(withoutImplied(needed));
            expected.removeAll(earlier);

            assertThat(block.acls()).as("the kafka-acls.sh lines for %s: %s", block.principal(), block.commands())
                    .containsExactlyInAnyOrderElementsOf(expected);
            Set<Acl> all = new HashSet<>(earlier);
            all.addAll(block.acls());
            grantedSoFar.put(block.principal(), all);
        }
    }

    @Test
    void shouldHaveLinesForTheProjectorTheProducersAndEveryDlqToolCommandButTopicsApply() throws Exception {
        KafkaAclTable table = KafkaAclTable.load();
        Set<String> covered = new HashSet<>();
        table.blocks().forEach(block -> covered.addAll(block.commands()));

        // topics apply is an administrator's deployment step, not a user's: the table has it, the blocks do not.
        Set<String> expected = new HashSet<>(table.rows().keySet());
        expected.removeAll(List.of("dlq-tool topics apply", "projector --apply-topics"));
        assertThat(covered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(table.row("projector")).extracting(Acl::toString)
                .containsExactlyInAnyOrder("Read topic $TOPIC", "Read group $APP", "Write topic $DLQ");
    }

    /** Drops the Describe ACLs that a Read or Write on the same resource already grants. */
    private static Set<Acl> withoutImplied(Set<Acl> acls) {
        Set<Acl> kept = new HashSet<>(acls);
        kept.removeIf(acl -> acls.stream().anyMatch(other -> other.implies(acl)));
        return kept;
    }
}
