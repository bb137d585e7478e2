package io.cachep.dlqtool.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.dlqtool.CommandContext;
import io.cachep.dlqtool.ExitCodes;
import io.cachep.dlqtool.OutputOption;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool dlq list}: what is in the DLQ and why, one line per record, in DLQ order (partition, offset). Shows
 * the first {@code --limit} that match and says how many more there are, so a full DLQ never floods a terminal at
 * 3 a.m.; the payload stays out ({@code dlq inspect --show-payload} shows one).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List dead letters in DLQ order (partition, offset): position, failed at, reason, event type, key,"
                + " original topic-partition@offset, replay count and the error message. Shows the first --limit and"
                + " how many more match.")
public final class DlqListCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 50;
    private static final Comparator<DeadLetterRow> DLQ_ORDER = Comparator
            .comparingInt((DeadLetterRow row) -> row.position().partition())
            .thenComparingLong(row -> row.position().offset());

    @Mixin
    CommandContext context;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--pending", description = "Only records dlq replay has not replayed or purged yet.")
    boolean pendingOnly;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "Show at most N records (default: ${DEFAULT-VALUE}; 0 shows all).")
    int limit;

    @Mixin
    OutputOption output;

    public DlqListCommand() {
        this(System.getenv());
    }

    public DlqListCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        DeadLetterFilter filter = filterOptions.filter(context.commandLine());
        if (limit < 0) {
            throw context.usageError("--limit must be 0 (all) or more, was " + limit);
        }
        // Only the first --limit rows in DLQ order are kept: records arrive interleaved across partitions.
        TreeSet<DeadLetterRow> shown = new TreeSet<>(DLQ_ORDER);
        long[] matched = {0};
        DeadLetterScan.Range range = DeadLetterScan.read(context.config(), filter, pendingOnly, err, (letter, pending) -> {
            matched[0]++;
            shown.add(DeadLetterRow.of(letter, pending));
            if (limit > 0 && shown.size() > limit) {
                shown.pollLast();
            }
        });
        long more = matched[0] - shown.size();
        String narrow = "narrow with --since, --reason, --type or --partition/--from-offset, or --limit 0 for all";
        if (output.json()) {
            ObjectMapper json = new ObjectMapper();
            for (DeadLetterRow row : shown) {
                out.println(json.writeValueAsString(row.json()));
            }
            if (more > 0) {
                err.printf("%,d more dead letters match; %s%n", more, narrow);
            }
            return ExitCodes.OK;
        }
        if (shown.isEmpty()) {
            out.printf("no dead letters match (%,d read from %s)%n", range.records(), range.topic());
            return ExitCodes.OK;
        }
        TextTable table = new TextTable(DeadLetterRow.HEADERS);
        shown.forEach(row -> table.row(row.cells()));
        out.print(table.render());
        if (more > 0) {
            out.printf("... and %,d more: %s%n", more, narrow);
        }
        out.printf("%,d of %,d matching dead letters shown (%,d read from %s)%n", shown.size(), matched[0],
                range.records(), range.topic());
        return ExitCodes.OK;
    }
}
