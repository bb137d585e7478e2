package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs a dlq-tool command line as {@code bin/dlq-tool} would, with its error handler, capturing out and err. */
public final class CliRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliRun() {}

    public record Result(int exit, String out, String err) {
        /** For assertion messages: everything the command said. */
        public String both() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }

        /** Standard output as one JSON document ({@code -o json} of a command that prints one). */
        public JsonNode json() {
            return parse(out);
        }

        /** Standard output as JSON Lines ({@code -o json} of a command that lists). */
        public List<JsonNode> jsonLines() {
            return out.lines().map(Result::parse).toList();
        }

        private static JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    /** {@code command} is a leaf (constructed with its environment) or the whole tool ({@code new DlqToolMain()}). */
    public static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(command));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return new Result(exit, out.toString(), err.toString());
    }
}
