package io.cachep.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a child's log for error messages: a failed start is only diagnosable with it. */
final class LogTail {
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {}

    /**
     * The first error lines (the cause: a broker logs pages of shutdown after it) and the last {@code lines} lines.
     * Errors are logback's {@code ERROR}, the JVM launcher's {@code Error:} and Redis's {@code FATAL}.
     */
    static String of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        String errors = firstErrors(file, 3);
        return errors.isEmpty() ? tail(file, lines)
                : "first errors in " + file + ":\n" + errors + "\n" + tail(file, lines);
    }

    private static String firstErrors(Path file, int max) {
        try (Stream<String> all = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return all.filter(line -> line.contains(" ERROR ") || line.startsWith("Error: ") || line.contains("FATAL"))
                    .limit(max)
                    .collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static String tail(Path file, int lines) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).strip().split("\n");
            String[] last = Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length);
            return "last lines of " + file + ":\n" + String.join("\n", last);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Whether the whole log mentions {@code text}; a start-up log is small enough to read at once. */
    static boolean contains(Path file, String text) {
        try {
            return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
