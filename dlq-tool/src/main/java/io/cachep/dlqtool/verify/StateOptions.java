package io.cachep.dlqtool.verify;

import io.cachep.recovery.ModelState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command that models the whole log ({@code verify}, {@code rebuild}'s dry run) keeps each entry's state: on
 * the heap up to a budget, the rest on local disk, so memory does not grow with the log.
 */
public final class StateOptions {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep the model of the log in DIR (created if missing) across runs: a killed run resumes from"
                    + " its last checkpoint, and a later run reads only the log added since (a changed rules file"
                    + " starts over). Default: a temporary directory, removed after. About 200 bytes of disk per entry.")
    Path directory;

    @Option(names = "--state-heap", paramLabel = "MB", defaultValue = "64",
            description = "Heap for the model's entries, in MiB; the rest stays on disk (default: ${DEFAULT-VALUE}).")
    int heapMegabytes;

    /** @param builtWith {@link ModelState#builtWith}: a kept state of anything else is discarded */
    public ModelState open(String builtWith, PrintWriter err) {
        if (heapMegabytes < 1) {
            throw new IllegalArgumentException("--state-heap must be at least 1 (MiB), was " + heapMegabytes);
        }
        long budget = (long) heapMegabytes << 20;
        return ModelState.open(Optional.ofNullable(directory), budget, builtWith, err);
    }
}
