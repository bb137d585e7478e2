package io.cachep.dlqtool.verify;

import io.cachep.modelstore.DiskEntryStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command that models the whole log ({@code verify}, {@code rebuild}'s dry run) keeps each entry's state: on
 * the heap up to a budget, the rest on local disk, so memory does not grow with the log.
 */
public final class StateOptions {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Local disk for the per-entry state of the log, in a new directory under DIR removed after"
                    + " (default: the system's temporary directory). Needs about 200 bytes per entry the log implies.")
    Path directory;

    @Option(names = "--state-heap", paramLabel = "MB", defaultValue = "64",
            description = "Heap for the per-entry state, in MiB; the rest stays on disk (default: ${DEFAULT-VALUE}).")
    int heapMegabytes;

    public DiskEntryStore open() {
        if (heapMegabytes < 1) {
            throw new IllegalArgumentException("--state-heap must be at least 1 (MiB), was " + heapMegabytes);
        }
        Path parent = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
        return DiskEntryStore.temporary(parent, (long) heapMegabytes << 20);
    }
}
