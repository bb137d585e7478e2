package io.cachep.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in a child JVM, on loopback ports, with a
 * temp directory of its own.
 *
 * <p>A child JVM rather than an in-process broker so that tests can {@link #kill()}, {@link #pause()} and
 * {@link #restart()} it like a real one, and so that the broker's threads and logs stay out of the test JVM. It runs
 * the {@code kafka.Kafka} main class from this JVM's class path (devstack depends on {@code kafka_2.13}).
 *
 * <p>Tests that kill, pause or restart the broker start their own; the shared one of {@code DevStackExtension} must
 * stay up for every other test of the run.
 *
 * <p>{@link Options#withSecurity} starts one as a hardened cluster runs: SASL_SSL logins and ACLs (see
 * {@link BrokerSecurity}); {@link #clientProperties()} connects as its super user, {@link #addScramUser} adds users.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int START_ATTEMPTS_ON_FREE_PORTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Options options;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private ChildProcess process;
    private final DisruptionGuard guard = new DisruptionGuard(() -> "the Kafka broker " + bootstrapServers());
    private boolean closed;

    /**
     * How to start a {@link KafkaBroker}.
     *
     * @param brokerProperties added to devstack's {@code server.properties}, overriding its defaults; the keys that
     *                         tie the broker to its ports and directory (listeners, {@code log.dirs}, ...) are rejected
     * @param port             the client port (PLAINTEXT, or SASL_SSL with {@code security}), or {@link #ANY_FREE_PORT}
     * @param controllerPort   the KRaft controller port, or {@link #ANY_FREE_PORT}
     * @param jvmArgs          the broker JVM's flags; the defaults favour start-up time and a small footprint
     * @param startTimeout     how long to wait until the broker serves clients
     * @param security         a SASL_SSL client listener and the standard authorizer instead of PLAINTEXT and no
     *                         authorizer; see {@link BrokerSecurity}
     */
    public record Options(Map<String, String> brokerProperties, int port, int controllerPort, List<String> jvmArgs,
            Duration startTimeout, Optional<BrokerSecurity> security) {
        public static final int ANY_FREE_PORT = 0;
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
        /** C1 only and the serial collector: starts in a few seconds on 2 cores; plenty for tests and the demo. */
        public static final List<String> DEFAULT_JVM_ARGS = List.of(
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        public Options {
            Objects.requireNonNull(brokerProperties, "brokerProperties");
            for (String key : brokerProperties.keySet()) {
                if (BrokerConfig.OWNED_KEYS.contains(key)) {
                    throw new IllegalArgumentException("brokerProperties must not set " + key
                            + ": devstack sets it (use port(...) / controllerPort(...) for ports)");
                }
            }
            brokerProperties = Map.copyOf(brokerProperties);
            checkPort("port", port);
            checkPort("controllerPort", controllerPort);
            if (port != ANY_FREE_PORT && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both were " + port);
            }
            jvmArgs = List.copyOf(Objects.requireNonNull(jvmArgs, "jvmArgs"));
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
            Objects.requireNonNull(security, "security");
        }

        public static Options defaults() {
            return new Options(Map.of(), ANY_FREE_PORT, ANY_FREE_PORT, DEFAULT_JVM_ARGS, DEFAULT_START_TIMEOUT,
                    Optional.empty());
        }

        public Options withBrokerProperty(String key, String value) {
            Map<String, String> merged = new LinkedHashMap<>(brokerProperties);
            merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return withBrokerProperties(merged);
        }

        public Options withBrokerProperties(Map<String, String> properties) {
            return new Options(properties, port, controllerPort, jvmArgs, startTimeout, security);
        }

        public Options withPort(int fixedPort) {
            return new Options(brokerProperties, fixedPort, controllerPort, jvmArgs, startTimeout, security);
        }

        public Options withControllerPort(int fixedPort) {
            return new Options(brokerProperties, port, fixedPort, jvmArgs, startTimeout, security);
        }

        public Options withJvmArgs(List<String> args) {
            return new Options(brokerProperties, port, controllerPort, args, startTimeout, security);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(brokerProperties, port, controllerPort, jvmArgs, timeout, security);
        }

        /** Clients must log in with SCRAM-SHA-512 over TLS, and need ACLs: see {@link BrokerSecurity}. */
        public Options withSecurity(BrokerSecurity brokerSecurity) {
            return new Options(brokerProperties, port, controllerPort, jvmArgs, startTimeout,
                    Optional.of(Objects.requireNonNull(brokerSecurity, "brokerSecurity")));
        }

        private static void checkPort(String name, int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535 (0 = any free port), was " + value);
            }
        }
    }

    private KafkaBroker(Options options, Path dir, int port, int controllerPort) {
        this.options = options;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats a fresh log directory, starts the broker and waits until it serves clients.
     *
     * @throws DevStackException when it does not come up in time (the message has the tail of its log)
     */
    public static KafkaBroker start(Options options) {
        Objects.requireNonNull(options, "options");
        boolean fixedPorts = options.port() != Options.ANY_FREE_PORT
                && options.controllerPort() != Options.ANY_FREE_PORT;
        // Picked ports can be taken before the broker binds them: then (only then) retry on fresh ones.
        int attempts = fixedPorts ? 1 : START_ATTEMPTS_ON_FREE_PORTS;
        DevStackException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int[] free = FreePorts.pick(2);
            int port = options.port() != Options.ANY_FREE_PORT ? options.port() : free[0];
            int controllerPort = options.controllerPort() != Options.ANY_FREE_PORT ? options.controllerPort()
                    : free[1] != port ? free[1] : free[0];
            KafkaBroker broker = new KafkaBroker(options, Directories.createTemp("cachep-kafka-"), port,
                    controllerPort);
            try {
                broker.format();
                broker.launch();
                ShutdownCloser.register(broker);
                return broker;
            } catch (DevStackException e) {
                boolean portTaken = e instanceof PortInUseException
                        || LogTail.contains(broker.log(), "Address already in use");
                broker.close();
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
                if (!portTaken) {
                    break;
                }
            }
        }
        throw failure;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /**
     * What a client needs to connect as devstack's super user: {@code bootstrap.servers} and, on a broker started
     * {@link Options#withSecurity with security}, the SASL_SSL login of {@link BrokerSecurity#ADMIN_USER}. Tests create
     * topics, users and ACLs with it.
     */
    public Map<String, Object> clientProperties() {
        return options.security().map(s -> clientProperties(BrokerSecurity.ADMIN_USER, s.adminPassword()))
                .orElseGet(() -> Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** What a client needs to connect to this secured broker as {@code user}: bootstrap, SASL_SSL and truststore. */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.putAll(requireSecurity().clientProperties(user, password));
        return Collections.unmodifiableMap(p);
    }

    /**
     * Creates a SCRAM-SHA-512 user (or sets its password) as the super user, and returns once the user can log in.
     * The user may do nothing else until ACLs allow it.
     */
    public void addScramUser(String user, String password) {
        requireSecurity();
        ScramUsers.upsert(clientProperties(), clientProperties(user, password), user, password, options.startTimeout());
    }

    private BrokerSecurity requireSecurity() {
        return options.security().orElseThrow(() -> new IllegalStateException("Kafka broker " + bootstrapServers()
                + " serves PLAINTEXT without users; start it with Options.withSecurity(...)"));
    }

    /** The directory holding {@code server.properties}, {@code broker.log} and the log segments ({@code data/}). */
    public Path directory() {
        return dir;
    }

    public synchronized long pid() {
        return current().pid();
    }

    /**
     * Refuses {@link #pause()}, {@link #resume()}, {@link #kill()}, {@link #stop()} and {@link #restart()} from now on
     * ({@link #close()} still works): for a server that other tests use, {@code sharedBy} naming who shares it.
     */
    public void share(String sharedBy) {
        guard.share(sharedBy);
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGSTOP: connections stay open but nothing is answered, like a long GC pause or a network partition. */
    public synchronized void pause() {
        guard.check("pause");
        current().pause();
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        guard.check("resume");
        current().resume();
    }

    /** SIGKILL, and waits until the JVM is gone: no controlled shutdown, segments are recovered on restart. */
    public synchronized void kill() {
        guard.check("kill");
        current().kill();
        LOG.info("Kafka broker {} killed", bootstrapServers());
    }

    /** SIGTERM (a controlled shutdown), waits up to 30 s, then SIGKILL. */
    public synchronized void stop() {
        guard.check("stop");
        terminate();
    }

    private void terminate() {
        if (process != null && process.terminate(STOP_GRACE)) {
            LOG.info("Kafka broker {} stopped", bootstrapServers());
        }
    }

    /** Stops it if running, then starts it again on the same ports and log directory, and waits until ready. */
    public synchronized void restart() {
        guard.check("restart");
        requireOpen();
        terminate();
        launch();
    }

    /** Stops it and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            terminate();
        } finally {
            Directories.deleteRecursively(dir);
            ShutdownCloser.unregister(this);
        }
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    private Path logbackConfig() {
        return dir.resolve("logback.xml");
    }

    private Path log() {
        return dir.resolve("broker.log");
    }

    /** KRaft needs a formatted log dir; {@code --standalone} makes this node the single voter of the quorum. */
    private void format() {
        requirePortsFree(); // fail before the seconds of formatting, not after
        BrokerConfig.writeServerProperties(serverProperties(), BrokerConfig.serverProperties(port, controllerPort,
                dir.resolve("data"), options.security(), options.brokerProperties()));
        BrokerConfig.writeLogbackConfig(logbackConfig(), log());
        List<String> arguments = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                "-c", serverProperties().toString(), "--standalone"));
        options.security().ifPresent(s -> arguments.addAll(List.of("--add-scram", s.formatScramArgument())));
        ChildProcess tool = ChildProcess.launch("kafka-storage format",
                ChildJvm.command(options.jvmArgs(), logbackConfig(), "kafka.tools.StorageTool", arguments),
                ChildJvm.environment(), dir, log());
        try {
            if (!tool.awaitExit(options.startTimeout())) {
                throw new DevStackException("kafka-storage format did not finish within "
                        + options.startTimeout().toSeconds() + " s; " + tool.logTail());
            }
            if (tool.exitValue() != 0) {
                throw new DevStackException("kafka-storage format failed with code " + tool.exitValue() + "; "
                        + tool.logTail());
            }
        } finally {
            tool.terminate(Duration.ZERO);
        }
    }

    private void launch() {
        Deadline deadline = Deadline.after(options.startTimeout());
        long started = System.nanoTime();
        requirePortsFree();
        process = ChildProcess.launch("Kafka broker " + bootstrapServers(),
                ChildJvm.command(options.jvmArgs(), logbackConfig(), "kafka.Kafka",
                        List.of(serverProperties().toString())),
                ChildJvm.environment(), dir, log());
        try {
            BrokerReadiness.await(process, port, clientProperties(), deadline, options.startTimeout());
        } catch (DevStackException e) {
            process.kill();
            throw e;
        }
        LOG.info("Kafka broker started on {} (pid {}) in {} ms", bootstrapServers(), process.pid(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void requirePortsFree() {
        FreePorts.requireFree("Kafka broker", port);
        FreePorts.requireFree("Kafka controller", controllerPort);
    }

    private ChildProcess current() {
        requireOpen();
        if (process == null) {
            throw new IllegalStateException("Kafka broker " + bootstrapServers() + " was never started");
        }
        return process;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("Kafka broker " + bootstrapServers() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + "]";
    }
}
