package io.cachep.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.rules.SlotTokens;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterScanPositionTest {
    private static final List<Integer> FIRST = range(0, 5460);
    private static final List<Integer> SECOND = range(5461, 10922);
    private static final List<Integer> THIRD = range(10923, 16383);

    @Test
    void shouldReadASingleServersCursorAsAScanNotBegun() {
        assertThat(ClusterScanPosition.isCluster("0")).isFalse();
        assertThat(ClusterScanPosition.isCluster("1234")).isFalse();
        assertThat(ClusterScanPosition.parse("1234")).isEqualTo(ClusterScanPosition.start());
        assertThat(ClusterScanPosition.parse("0").scanning()).isFalse();
        assertThat(ClusterScanPosition.parse("0").done().isEmpty()).isTrue();
    }

    @Test
    void shouldSurviveACheckpointMidwayThroughAPrimary() {
        ClusterScanPosition position = ClusterScanPosition.start().begin("node-a", FIRST).complete(FIRST)
                .begin("node-b", SECOND).at("9876");

        String stored = position.format();
        ClusterScanPosition resumed = ClusterScanPosition.parse(stored);

        assertThat(stored).isEqualTo("cluster;done=0-5460;node=node-b;slots=5461-10922;at=9876");
        assertThat(ClusterScanPosition.isCluster(stored)).isTrue();
        assertThat(resumed).isEqualTo(position);
        assertThat(resumed.cursor()).isEqualTo("9876");
        assertThat(resumed.sameSlots(SECOND)).isTrue();
        assertThat(resumed.sameSlots(THIRD)).isFalse();
        assertThat(resumed.covers(FIRST)).isTrue();
        assertThat(resumed.covers(SECOND)).isFalse();
    }

    @Test
    void shouldBeFinishedOnlyOnceEverySlotIsDone() {
        ClusterScanPosition position = ClusterScanPosition.start();
        for (List<Integer> slots : List.of(FIRST, SECOND, THIRD)) {
            assertThat(position.finished()).isFalse();
            position = position.begin("n", slots).complete(slots);
        }
        assertThat(position.finished()).isTrue();
        assertThat(position.format()).isEqualTo("cluster;done=0-16383");
    }

    @Test
    void shouldLeaveASlotThatMovedAwayDuringThePrimarysScanToDo() {
        List<Integer> servedAtTheEnd = range(0, 5400); // 5401-5460 were migrated to another primary meanwhile

        ClusterScanPosition position = ClusterScanPosition.start().begin("node-a", FIRST).complete(servedAtTheEnd);

        assertThat(position.covers(servedAtTheEnd)).isTrue();
        assertThat(position.covers(List.of(5401))).isFalse();
        assertThat(position.format()).isEqualTo("cluster;done=0-5400");
    }

    @Test
    void shouldNotCountSlotsThatArrivedDuringThePrimarysScan() {
        List<Integer> servedAtTheEnd = range(0, 5500); // 5461-5500 arrived from another primary meanwhile

        ClusterScanPosition position = ClusterScanPosition.start().begin("node-a", FIRST).complete(servedAtTheEnd);

        assertThat(position.covers(FIRST)).isTrue();
        assertThat(position.covers(List.of(5461))).isFalse();
    }

    @Test
    void shouldKeepTheSlotsOfAnAbandonedPrimaryToDo() {
        ClusterScanPosition position = ClusterScanPosition.start().begin("node-a", FIRST).at("55").abandon();

        assertThat(position.scanning()).isFalse();
        assertThat(position.covers(List.of(0))).isFalse();
        assertThat(position.format()).isEqualTo("cluster;done=");
        assertThat(ClusterScanPosition.parse(position.format())).isEqualTo(position);
    }

    @Test
    void shouldWriteScatteredSlotsAsRanges() {
        ClusterScanPosition position = ClusterScanPosition.start().begin("n", List.of(1, 2, 3, 7, 9, 10, 16383))
                .complete(List.of(1, 2, 3, 7, 9, 10, 16383));

        assertThat(position.format()).isEqualTo("cluster;done=1-3,7,9-10,16383");
        assertThat(ClusterScanPosition.parse(position.format())).isEqualTo(position);
    }

    @Test
    void shouldRefuseATamperedPosition() {
        assertThatThrownBy(() -> ClusterScanPosition.parse("cluster;done=0-99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a slot range");
        assertThatThrownBy(() -> ClusterScanPosition.parse("cluster;done=0;bogus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cluster scan position");
        assertThatThrownBy(() -> ClusterScanPosition.parse("cluster;done=0;node=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
    }

    private static List<Integer> range(int from, int to) {
        assertThat(to).isLessThan(SlotTokens.SLOT_COUNT);
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
