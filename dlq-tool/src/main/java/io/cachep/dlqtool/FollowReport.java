package io.cachep.dlqtool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.recovery.DivergenceWatch;
import io.cachep.recovery.LinesPerSecond;
import io.cachep.rules.reference.Divergence;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code verify --follow} prints on stdout: one line per divergence when it is confirmed and one when it ends,
 * with the time; {@code -o json} gives each as a JSON object. A mass loss (a FLUSHALL) is thousands of entries at
 * once: plain output shows {@link #LINES_PER_SECOND} of them a second and counts the rest; JSON shows every one.
 */
final class FollowReport implements DivergenceWatch.Listener {
    static final int LINES_PER_SECOND = 50;

    private final PrintWriter out;
    private final boolean json;
    private final ObjectMapper mapper = new ObjectMapper();
    private final LinesPerSecond lines = new LinesPerSecond(LINES_PER_SECOND);

    FollowReport(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void divergent(Divergence d) {
        Map<String, Object> line = line("divergent", d.key());
        line.put("kind", d.kind().name());
        line.put("expected", d.expected() == null ? null : VerifyCommand.describe(d.expected()));
        line.put("actual", d.actual() == null ? null : VerifyCommand.describe(d.actual()));
        print(line, () -> String.format("%s  DIVERGENT  %-17s %s  expected: %s  actual: %s", line.get("at"),
                d.kind(), d.key(), orDash(line.get("expected")), orDash(line.get("actual"))));
    }

    @Override
    public void equalAgain(String key, Divergence.Kind was, boolean repaired) {
        Map<String, Object> line = line("equal", key);
        line.put("was", was.name());
        line.put("repaired", repaired);
        print(line, () -> String.format("%s  EQUAL      %-17s %s  (was %s%s)", line.get("at"), "", key, was,
                repaired ? ", repaired" : ""));
    }

    @Override
    public void stillDivergentAfterRepair(Divergence d) {
        Map<String, Object> line = line("repair-did-not-hold", d.key());
        line.put("kind", d.kind().name());
        print(line, () -> String.format("%s  NOT REPAIRED %-15s %s  still differs after its repair (not tried again)",
                line.get("at"), d.kind(), d.key()));
    }

    private static Map<String, Object> line(String state, String key) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        line.put("state", state);
        line.put("key", key);
        return line;
    }

    private void print(Map<String, Object> line, java.util.function.Supplier<String> text) {
        if (json) {
            try {
                out.println(mapper.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else if (lines.admit(this::sayHeldBack)) {
            out.println(text.get());
        }
        out.flush();
    }

    @Override
    public void passDone() {
        if (!json) {
            lines.secondOver(this::sayHeldBack);
        }
    }

    private void sayHeldBack(long held) {
        out.printf("... and %,d more in that second (-o json prints every one)%n", held);
    }

    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }
}
