package io.cachep.dlqtool;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** One command line run as the CLI runs it (the same error handler), with stdout and stderr captured. */
record CommandRun(int exit, String out, String err) {
    static CommandRun of(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(command));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** Everything printed, for assertion messages. */
    String all() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
