package io.cachep.devstack;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code devstack}: runs a broker and a redis-server from a shell, for the demo and for trying cachep by hand.
 *
 * <pre>
 * $ devstack up
 * KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:40123
 * REDIS_URI=redis://127.0.0.1:40125
 * REDIS_CLUSTER=false
 * KAFKA_PID=1234
 * REDIS_PID=1235
 * devstack up; Ctrl-C to stop          (on stderr)
 * </pre>
 *
 * <p>{@code devstack up --redis-cluster} starts a Redis Cluster of six nodes instead and prints
 * {@code REDIS_URI=redis://127.0.0.1:P1,...}, {@code REDIS_CLUSTER=true} and {@code REDIS_PIDS=...}.
 *
 * <p>Exit codes: 0 ok (stopped by Ctrl-C or SIGTERM), 1 failed to start or a service died while up, 2 usage.
 */
@Command(name = "devstack", mixinStandardHelpOptions = true, subcommands = UpCommand.class,
        versionProvider = DevStackMain.Version.class,
        description = "A real Kafka broker (KRaft, single node) and a real redis-server on free loopback ports.")
public final class DevStackMain implements Callable<Integer> {
    /** Logs to stderr at INFO for devstack, WARN for everything else: stdout carries only the KEY=value lines. */
    static final String LOGBACK_CONFIG = "io/cachep/devstack/logback.xml";

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        // Before the first logger exists. No static Logger in this class for that reason.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; everything but {@link #main} uses this. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new DevStackMain())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    // One line for the user; the cause's message already names the process and has its log tail.
                    commandLine.getErr().println("devstack: " + e.getMessage());
                    commandLine.getErr().flush();
                    return 1;
                });
    }

    /** The version Maven wrote into the jar; a build from an IDE has none. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DevStackMain.class.getPackage().getImplementationVersion();
            return new String[] {"devstack " + (version == null ? "(development build)" : version)};
        }
    }

    /** {@code devstack} alone: show the usage, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
