package io.cachep.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Private temp directories for the children, and their removal. */
final class Directories {
    private Directories() {}

    static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temp directory " + prefix + "*", e);
        }
    }

    /** Best effort: a directory we cannot remove is litter in /tmp, not a reason to fail a test's tear-down. */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // Keep going: remove as much as we can.
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // Same: best effort.
        }
    }
}
