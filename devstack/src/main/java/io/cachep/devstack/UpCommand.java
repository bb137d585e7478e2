package io.cachep.devstack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code devstack up}: starts both, prints their addresses as {@code KEY=value} lines, runs until INT or TERM (exit 0)
 * or until one of them dies (exit 1: a stack with half its services gone should not look healthy).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a Kafka broker and a redis-server and runs until Ctrl-C or SIGTERM.",
                "Prints KAFKA_BOOTSTRAP_SERVERS, REDIS_URI, KAFKA_PID and REDIS_PID to stdout (eval-able)."})
final class UpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UpCommand.class);
    private static final Duration LIVENESS_CHECK = Duration.ofMillis(500);
    /** Ctrl-C in a terminal signals the children too; one may die before our own handler has run. */
    private static final Duration SIGNAL_AFTER_CHILD_EXIT = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--redis-port", paramLabel = "PORT", description = "Redis port (default: a free one).")
    private int redisPort = RedisServer.Options.ANY_FREE_PORT;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka client port (default: a free one).")
    private int kafkaPort = KafkaBroker.Options.ANY_FREE_PORT;

    @Override
    public Integer call() throws InterruptedException {
        // Installed before the slow start, so a Ctrl-C during it still ends in an orderly tear-down.
        TerminationSignals signals = TerminationSignals.install();
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withPort(kafkaPort),
                RedisServer.Options.defaults().withPort(redisPort))) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("KAFKA_BOOTSTRAP_SERVERS=" + stack.bootstrapServers());
            out.println("REDIS_URI=" + stack.redisUri());
            out.println("KAFKA_PID=" + stack.kafka().pid());
            out.println("REDIS_PID=" + stack.redis().pid());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("devstack up; Ctrl-C to stop");
            err.flush();
            return runUntilSignalOrChildExit(signals, stack, err);
        }
    }

    private static int runUntilSignalOrChildExit(TerminationSignals signals, DevStack stack, PrintWriter err)
            throws InterruptedException {
        while (true) {
            Optional<String> signal = signals.await(LIVENESS_CHECK);
            if (signal.isPresent()) {
                LOG.info("{} received; stopping", signal.get());
                return 0;
            }
            String dead = !stack.kafka().isAlive() ? "the Kafka broker"
                    : !stack.redis().isAlive() ? "redis-server" : null;
            if (dead != null) {
                signal = signals.await(SIGNAL_AFTER_CHILD_EXIT);
                if (signal.isPresent()) {
                    LOG.info("{} received; stopping", signal.get());
                    return 0;
                }
                err.println("devstack: " + dead + " exited unexpectedly; stopping");
                err.flush();
                return 1;
            }
        }
    }
}
