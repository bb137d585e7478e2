package io.cachep.dlqtool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.cli.OutputFormat;
import io.cachep.dlqtool.rebuild.LogHistory;
import io.cachep.dlqtool.verify.DivergenceTally;
import io.cachep.dlqtool.rebuild.RebuildCheckpoint;
import io.cachep.dlqtool.rebuild.RebuildCounts;
import io.cachep.rules.reference.Divergence;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code rebuild} prints on stdout: a table for people, or one JSON object with {@code -o json}. */
final class RebuildReport {
    static final int SAMPLE = 10;

    private final PrintWriter out;
    private final OutputFormat format;
    private final String namespace;

    RebuildReport(PrintWriter out, OutputFormat format, String namespace) {
        this.out = out;
        this.format = format;
        this.namespace = namespace;
    }

    void refused(LogHistory history) throws JsonProcessingException {
        Map<String, Object> json = header(history, false);
        json.put("refused", true);
        print(json, history, () -> out.println("REFUSED: the log no longer holds the full history of " + namespace
                + " (see stderr); nothing written"));
    }

    void dryRun(LogHistory history, long records, long entries, DivergenceTally tally,
                Optional<RebuildCheckpoint> interrupted, boolean restart) throws JsonProcessingException {
        long drop = tally.count(Divergence.Kind.EXTRA);
        long promote = tally.total() - drop;
        Map<String, Object> json = header(history, false);
        json.put("interrupted", interrupted.map(c -> Map.of("phase", c.phase().name().toLowerCase(),
                "started", c.started().toString(), "action", restart ? "discard" : "resume")).orElse(null));
        json.put("records", records);
        json.put("entries", entries);
        json.put("wouldPromote", promote);
        json.put("unchanged", entries - promote);
        json.put("wouldDrop", drop);
        List<Map<String, String>> sample = new ArrayList<>();
        tally.sample().forEach(d -> sample.add(Map.of("action", action(d), "key", d.key(),
                "kind", d.kind().name())));
        json.put("sample", sample);
        print(json, history, () -> {
            TextTable summary = new TextTable("rebuild " + namespace + " (dry run)", "count");
            summary.row("log records", records);
            summary.row("entries the log implies", entries);
            summary.row("would promote (missing or different)", promote);
            summary.row("unchanged (already equal)", entries - promote);
            summary.row("would drop (the log does not imply them)", drop);
            out.print(summary.render());
            if (!sample.isEmpty()) {
                out.println();
                TextTable table = new TextTable("action", "key", "why");
                sample.forEach(row -> table.row(row.get("action"), row.get("key"), row.get("kind")));
                out.print(table.render());
                if (tally.total() > SAMPLE) {
                    out.printf("... and %d more (verify -o json lists all)%n", tally.total() - SAMPLE);
                }
            }
            interrupted.ifPresent(c -> out.println("an interrupted rebuild (started " + c.started() + ", phase "
                    + c.phase().name().toLowerCase() + ") would be " + (restart ? "discarded (--restart)" : "resumed")));
            out.println("dry run: nothing written; add --execute to build beside in " + namespace
                    + ":~rebuild and promote entry by entry");
        });
    }

    void rebuilt(LogHistory history, RebuildCheckpoint checkpoint) throws JsonProcessingException {
        RebuildCounts counts = checkpoint.counts();
        Map<String, Object> json = header(history, true);
        json.put("resumed", checkpoint.resumed());
        json.put("counts", counts.asMap());
        print(json, history, () -> {
            TextTable summary = new TextTable("rebuild " + namespace, "count");
            for (RebuildCounts.Count count : RebuildCounts.Count.values()) {
                summary.row(count.label(), counts.get(count));
            }
            out.print(summary.render());
            out.println((history.partial() ? "REBUILT FROM PARTIAL HISTORY: " : "REBUILT: ") + namespace
                    + " reflects the log under the current rules" + (checkpoint.resumed() ? " (resumed an interrupted run)" : ""));
        });
    }

    private Map<String, Object> header(LogHistory history, boolean executed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("namespace", namespace);
        json.put("executed", executed);
        json.put("partialHistory", history.partial());
        List<Map<String, Object>> topics = new ArrayList<>();
        for (LogHistory.Topic topic : history.topics()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("topic", topic.name());
            row.put("cleanupPolicy", topic.cleanupPolicy());
            row.put("firstOffsets", topic.firstOffsets());
            row.put("records", topic.records());
            topics.add(row);
        }
        json.put("topics", topics);
        json.put("notes", history.notes());
        json.put("problems", history.problems());
        return json;
    }

    /** JSON, or the topics table followed by {@code text}. */
    private void print(Map<String, Object> json, LogHistory history, Runnable text) throws JsonProcessingException {
        if (format == OutputFormat.json) {
            out.println(new ObjectMapper().writeValueAsString(json));
            return;
        }
        TextTable topics = new TextTable("topic", "partitions", "cleanup.policy", "first offsets", "records");
        for (LogHistory.Topic topic : history.topics()) {
            String truncated = topic.truncated();
            topics.row(topic.name(), topic.firstOffsets().size(), topic.cleanupPolicy(),
                    truncated.isEmpty() ? "0" : truncated, topic.records());
        }
        out.print(topics.render());
        out.println();
        text.run();
    }

    private static String action(Divergence divergence) {
        return divergence.kind() == Divergence.Kind.EXTRA ? "drop" : "promote";
    }
}
