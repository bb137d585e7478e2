package io.cachep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** cachep's own slot hash agrees with a Redis Cluster client's, and every slot has a token that hashes to it. */
class SlotTokensTest {

    @Test
    void slotsAgreeWithLettuceOnRandomKeysWithAndWithoutHashTags() {
        Random random = new Random(7);
        String alphabet = "ab{}:é-_0123456789xyz";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(24);
            for (int c = 0; c < length; c++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(SlotTokens.slotOf(key.toString())).as("slot of '%s'", key).isEqualTo(SlotHash.getSlot(key.toString()));
        }
        assertThat(SlotTokens.slotOf("123456789")).as("the specification's test vector (CRC16 0x31C3)")
                .isEqualTo(0x31C3 % SlotTokens.SLOT_COUNT);
    }

    @Test
    void everySlotHasATokenThatHashesToIt() {
        for (int slot = 0; slot < SlotTokens.SLOT_COUNT; slot++) {
            assertThat(SlotTokens.slotOf("{" + SlotTokens.of(slot) + "}:anything")).isEqualTo(slot);
        }
    }
}
