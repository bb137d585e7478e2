package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run 9 reads its figures off dlq-tool's progress lines and the GC log: the formats those print. */
class RecoveryRunTest {
    @Test
    void shouldReadEachPhaseFromTheLastLineItsProgressPrinted() {
        List<RecoveryRun.Phase> phases = RecoveryRun.phases(List.of(
                "reading the log: 0/10,000,000, 0/s ",
                "reading the log: 10,000,000/10,000,000, 54,781/s in 182.5s",
                "comparing entries with Redis: 375,618, 34,688/s in 10.8s",
                "DIVERGENT: 445325 entries differ from the log"));

        assertThat(phases).containsExactly(
                new RecoveryRun.Phase("reading the log", 10_000_000, 54_781, 182.5),
                new RecoveryRun.Phase("comparing entries with Redis", 375_618, 34_688, 10.8));
    }

    @Test
    void shouldTakeTheLargestHeapLeftAfterAnyCollection(@TempDir Path dir) throws Exception {
        Path gcLog = Files.writeString(dir.resolve("gc.log"), """
                [0.007s][info][gc] Using G1
                [1.846s][info][gc] GC(4) Pause Young (Concurrent Start) (Metadata GC Threshold) 19M->11M(256M) 19.003ms
                [2.374s][info][gc] GC(6) Pause Young (Prepare Mixed) (G1 Preventive Collection) 236M->173M(256M) 54.313ms
                [2.410s][info][gc] GC(7) Pause Young (Mixed) (G1 Evacuation Pause) 190M->140M(256M) 10.292ms
                """);

        assertThat(RecoveryRun.peakAfterGc(gcLog)).isEqualTo(173);
    }
}
