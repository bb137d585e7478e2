package io.cachep.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds {@code redis-server} on the {@code PATH} before anything is started, so a missing install fails with an
 * install hint instead of an {@code IOException} from {@link ProcessBuilder}.
 */
final class RedisExecutable {
    static final String NAME = "redis-server";

    private RedisExecutable() {}

    static Path locate() {
        return find(System.getenv("PATH")).orElseThrow(RedisNotInstalledException::new);
    }

    static Optional<Path> find(String pathVariable) {
        if (pathVariable == null || pathVariable.isBlank()) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
