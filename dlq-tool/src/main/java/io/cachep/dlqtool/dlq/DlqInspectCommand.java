package io.cachep.dlqtool.dlq;

import static io.cachep.dlqtool.dlq.DeadLetterRow.orDash;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.dlqtool.CommandContext;
import io.cachep.dlqtool.ExitCodes;
import io.cachep.dlqtool.OutputOption;
import io.cachep.text.DurationText;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dlq-tool dlq inspect <partition>:<offset>}: one dead letter in full: where it came from, when and why it
 * failed, its CloudEvents attributes and every header decoded. The stack trace (long) only with
 * {@code --stacktrace}, the payload (may hold personal data) only with {@code --show-payload}.
 *
 * <p>{@code --stacktrace} is this command's own flag: dlq-tool has no global logging mixin (its own failures print a
 * stack trace when {@code CACHEP_STACKTRACE} is set). Should one with a {@code --stacktrace} be added, this command
 * should take the flag from it, as both mean "show me the stack trace".
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show one dead letter: where it came from, when and why it failed, its CloudEvents attributes and"
                + " every header decoded; the stack trace with --stacktrace, the payload with --show-payload."
                + " Exit 1 when the DLQ has no record there.")
public final class DlqInspectCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @Parameters(index = "0", paramLabel = "PARTITION:OFFSET", converter = DlqPosition.Converter.class,
            description = "The record, as dlq list shows it, e.g. 0:42.")
    DlqPosition position;

    @Option(names = "--stacktrace", description = "Also print the failure's stack trace (the __streams.errors.stacktrace header).")
    boolean stackTrace;

    @Option(names = "--show-payload", description = "Also print the record's value (the event, data included).")
    boolean showPayload;

    @Mixin
    OutputOption output;

    public DlqInspectCommand() {
        this(System.getenv());
    }

    public DlqInspectCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        ProjectorConfig config = context.config();
        DeadLetter letter = DeadLetterScan.readOne(config, position);
        boolean pending = ReplayGroup.pending(new ReplayGroup(config).positions(), letter);
        DeadLetterRow row = DeadLetterRow.of(letter, pending);
        if (output.json()) {
            printJson(context.out(), config, letter, row);
        } else {
            printText(context.out(), config, letter, row);
        }
        return ExitCodes.OK;
    }

    private void printText(PrintWriter out, ProjectorConfig config, DeadLetter letter, DeadLetterRow row) {
        out.println("dead letter " + position + " in " + config.dlqTopic());
        out.println();
        TextTable attributes = new TextTable("attribute", "value").leftAligned();
        Duration age = Duration.between(row.failedAt(), Instant.now());
        attributes.row("failed at", row.failedAt().truncatedTo(ChronoUnit.MILLIS) + " (" + DurationText.format(age) + " ago)");
        attributes.row("reason", orDash(row.reason()));
        attributes.row("exception", orDash(row.exception()));
        attributes.row("error class", orDash(letter.header(DeadLetterHeaders.ERROR_CLASS).orElse(null)));
        attributes.row("message", orDash(row.message()).replaceAll("\\R", " "));
        attributes.row("rule", orDash(letter.rule().orElse(null)));
        attributes.row("from", row.source());
        attributes.row("key", orDash(row.key()));
        attributes.row("event type", orDash(row.type()));
        attributes.row("record time", Instant.ofEpochMilli(letter.timestamp()));
        attributes.row("value", letter.value() == null ? "null (a tombstone)" : letter.value().length + " bytes");
        attributes.row("attempts", orDash(letter.header(DeadLetterHeaders.ATTEMPTS).orElse(null)));
        attributes.row("replay count", row.replayCount());
        attributes.row("replay state", row.pending() ? "pending: not replayed or purged yet" : "passed by dlq replay or purge");
        attributes.row("processor", orDash(letter.header(DeadLetterHeaders.PROCESSOR).orElse(null)));
        attributes.row("application id", orDash(letter.header(DeadLetterHeaders.APPLICATION_ID).orElse(null)));
        out.print(attributes.render());
        out.println();

        Map<String, String> envelope = DeadLetterDetails.envelope(letter);
        if (envelope.isEmpty()) {
            out.println("envelope: none readable (the value is not a CloudEvents JSON object and there are no ce_* headers)");
        } else {
            TextTable table = new TextTable("envelope attribute", "value").leftAligned();
            envelope.forEach(table::row);
            out.print(table.render());
        }
        out.println();

        TextTable headers = new TextTable("header", "value").leftAligned();
        for (DeadLetterDetails.HeaderValue header : DeadLetterDetails.headers(letter)) {
            headers.row(header.name(), headerCell(letter, header));
        }
        out.print(headers.render());

        if (stackTrace) {
            out.println();
            out.println("stack trace:");
            out.println(letter.stackTrace().orElse("(none recorded)").stripTrailing());
        }
        if (showPayload) {
            out.println();
            out.println("payload:");
            out.println(DeadLetterDetails.payloadText(letter.value()));
        }
        List<String> hidden = new ArrayList<>();
        if (!stackTrace && letter.stackTrace().isPresent()) {
            hidden.add("--stacktrace prints the stack trace");
        }
        if (!showPayload && letter.value() != null) {
            hidden.add("--show-payload prints the payload");
        }
        if (!hidden.isEmpty()) {
            out.println();
            out.println(String.join("; ", hidden));
        }
    }

    /** Headers written by other tools may hold anything: a number when it is one, else the text as it is. */
    private static Object numberOrText(String text) {
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException notANumber) {
            return text;
        }
    }

    private String headerCell(DeadLetter letter, DeadLetterDetails.HeaderValue header) {
        if (DeadLetterDetails.isStackTrace(header.name())) {
            return DeadLetterDetails.stackTraceLines(letter) + " lines" + (stackTrace ? ", below" : " (--stacktrace prints them)");
        }
        if (header.text() == null) {
            return "(null)";
        }
        return (header.base64() ? "(binary, base64) " : "") + header.text().replace("\r", "\\r").replace("\n", "\\n");
    }

    private void printJson(PrintWriter out, ProjectorConfig config, DeadLetter letter, DeadLetterRow row) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", config.dlqTopic());
        json.putAll(row.json());
        json.put("errorClass", letter.header(DeadLetterHeaders.ERROR_CLASS).orElse(null));
        json.put("rule", letter.rule().orElse(null));
        json.put("attempts", letter.header(DeadLetterHeaders.ATTEMPTS).map(DlqInspectCommand::numberOrText).orElse(null));
        json.put("processor", letter.header(DeadLetterHeaders.PROCESSOR).orElse(null));
        json.put("applicationId", letter.header(DeadLetterHeaders.APPLICATION_ID).orElse(null));
        json.put("recordTimestamp", Instant.ofEpochMilli(letter.timestamp()).toString());
        json.put("valueBytes", letter.value() == null ? null : letter.value().length);
        Map<String, String> envelope = DeadLetterDetails.envelope(letter);
        json.put("envelope", envelope.isEmpty() ? null : envelope);
        List<Map<String, Object>> headers = new ArrayList<>();
        for (DeadLetterDetails.HeaderValue header : DeadLetterDetails.headers(letter)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", header.name());
            boolean withheld = DeadLetterDetails.isStackTrace(header.name()) && !stackTrace;
            entry.put("value", withheld ? DeadLetterDetails.stackTraceLines(letter) + " lines (--stacktrace includes them)" : header.text());
            entry.put("encoding", header.base64() ? "base64" : "utf8");
            headers.add(entry);
        }
        json.put("headers", headers);
        if (showPayload) {
            json.putAll(DeadLetterDetails.payloadJson(letter.value()));
        }
        out.println(new ObjectMapper().writeValueAsString(json));
    }
}
