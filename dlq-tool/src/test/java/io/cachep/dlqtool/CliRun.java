package io.cachep.dlqtool;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a dlq-tool command line as {@code bin/dlq-tool} would, with its error handler, capturing out and err. */
public final class CliRun {
    private CliRun() {}

    public record Result(int exit, String out, String err) {
        /** For assertion messages: everything the command said. */
        public String both() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
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
