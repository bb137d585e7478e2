package io.cachep.dlqtool;

import io.cachep.apply.RedisAdvice;
import io.cachep.errors.CachepException;
import picocli.CommandLine;

/**
 * One line per failure on stderr, with the exit code it deserves: a {@link CachepException} carries its own (2 for a bad
 * configuration, rules file or topic specs, printed as they are with every problem listed; 1 for a command that
 * failed or refused), anything else is 1; when Kafka denied an operation, the line says where the ACLs each command
 * needs are listed. Bad usage picocli finds (and commands throw as {@link CommandLine.ParameterException}) exits 2
 * through {@link #usageError}. The stack trace only when {@code CACHEP_STACKTRACE} is set, since an operator at 3 a.m.
 * needs the cause, not the frames.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    /** Installs the handlers on a command line (and, through picocli, on its subcommands). */
    static CommandLine configure(CommandLine commandLine) {
        return commandLine.setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(ErrorHandler::usageError);
    }

    /**
     * A usage error in one line, plus picocli's "did you mean" when it has one and where to find the options:
     * picocli's default prints the whole help after the message, which buries the message.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        var err = commandLine.getErr();
        err.println(e.getMessage().replace('\n', ' '));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        int exit = e instanceof CachepException known ? known.exitCode() : ExitCodes.FAILED;
        if (exit == ExitCodes.USAGE) {
            // The command never started: the message lists every problem, one per line, and needs no prefix.
            err.println(e.getMessage());
            err.flush();
            return exit;
        }
        // A missing Redis grant or a TLS setting is named with what to do, not with Redis's or the JDK's words; a
        // missing Kafka ACL keeps Kafka's words (they name the topic or group) and says where the ACLs are listed.
        err.println(commandLine.getCommandName() + " failed: " + RedisAdvice.explain(e).orElseGet(() -> oneLine(e)
                + (AccessDenied.isCause(e) ? "; " + AccessDenied.ACLS_HINT : "")));
        if (System.getenv("CACHEP_STACKTRACE") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return exit;
    }

    private static String oneLine(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString().replace('\n', ' ');
    }
}
