package io.cachep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc}: what {@code top} shows, per process,
 * so a reader sees which of projector, broker and redis-server uses the machine's cores.
 */
final class ProcessStats {
    /** Linux's USER_HZ: /proc reports CPU time in these ticks; 100 on every mainstream kernel configuration. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** User plus system CPU seconds the process has used so far, all its threads together. */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(fields[11]); // field 14 of the whole line
        long stime = Long.parseLong(fields[12]); // field 15
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /** Resident set size in bytes (VmRSS). */
    static long rssBytes(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " (is the process still running?)", e);
        }
    }
}
