package io.cachep.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a child JVM that runs a main class from this JVM's own class path.
 *
 * <p>The class path goes in the {@code CLASSPATH} environment variable, not on the command line: it is long, and
 * kept out of the command line {@code ps} and {@code pgrep -af kafka.Kafka} stay readable.
 */
final class ChildJvm {
    private ChildJvm() {}

    static List<String> command(List<String> jvmArgs, Path logbackConfig, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Djava.awt.headless=true");
        // Takes precedence over any logback(-test).xml on the shared class path.
        command.add("-Dlogback.configurationFile=" + logbackConfig.toAbsolutePath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    static Map<String, String> environment() {
        return Map.of("CLASSPATH", System.getProperty("java.class.path"));
    }
}
