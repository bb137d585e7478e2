package io.cachep.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void shouldRightAlignNumbersSoColumnsOfCountsLineUp() {
        String table = new TextTable("reason", "records").row("UNKNOWN_TYPE", 12).row("BAD_TIME", 3).render();

        assertThat(table).isEqualTo("""
                reason        records
                ------------  -------
                UNKNOWN_TYPE       12
                BAD_TIME            3
                """);
    }

    @Test
    void shouldLeftAlignEverythingInAnAttributeTable() {
        String table = new TextTable("attribute", "value").leftAligned().row("reason", "UNKNOWN_TYPE").row("attempts", 1)
                .row("rule", "-").render();

        assertThat(table).isEqualTo("""
                attribute  value
                ---------  ------------
                reason     UNKNOWN_TYPE
                attempts   1
                rule       -
                """);
    }
}
