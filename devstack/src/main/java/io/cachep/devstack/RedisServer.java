package io.cachep.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} child process on a loopback port, in a temp directory of its own.
 *
 * <p>Tests that pause, kill or restart Redis start their own instance; the shared one of {@code DevStackExtension}
 * must stay up for every other test of the run.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults()
 *         .withExtraArgs("--appendonly", "yes", "--appendfsync", "always"))) {
 *     redis.kill();     // SIGKILL
 *     redis.restart();  // same port, same directory: the AOF is replayed
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final int START_ATTEMPTS_ON_FREE_PORTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Options options;
    private final Path executable;
    private final Path dir;
    private final int port;
    private ChildProcess process;
    private final DisruptionGuard guard = new DisruptionGuard(() -> "redis-server on port " + port());
    private boolean closed;

    /**
     * How to start a {@link RedisServer}.
     *
     * @param extraArgs    appended after devstack's own arguments, so they override them ({@code --appendonly yes},
     *                     {@code --requirepass x}, ...); {@code --port}, {@code --dir}, {@code --pidfile} and
     *                     {@code --daemonize} belong to devstack and are rejected
     * @param port         a fixed port, or {@link #ANY_FREE_PORT} to pick a free one
     * @param startTimeout how long to wait until it answers {@code PING}
     * @param tls          null for plain TCP; otherwise the server speaks TLS only, on {@code port}
     */
    public record Options(List<String> extraArgs, int port, Duration startTimeout, Tls tls) {
        public static final int ANY_FREE_PORT = 0;
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
        private static final Set<String> OWNED_ARGS = Set.of("--port", "--dir", "--pidfile", "--daemonize");

        public Options {
            Objects.requireNonNull(extraArgs, "extraArgs");
            extraArgs = List.copyOf(extraArgs);
            for (String arg : extraArgs) {
                if (OWNED_ARGS.contains(arg)) {
                    throw new IllegalArgumentException("extraArgs must not contain " + arg
                            + ": devstack sets it (use port(...) for the port)");
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), was " + port);
            }
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
        }

        public static Options defaults() {
            return new Options(List.of(), ANY_FREE_PORT, DEFAULT_START_TIMEOUT, null);
        }

        public Options withExtraArgs(String... args) {
            return withExtraArgs(Arrays.asList(args));
        }

        public Options withExtraArgs(List<String> args) {
            return new Options(args, port, startTimeout, tls);
        }

        public Options withPort(int fixedPort) {
            return new Options(extraArgs, fixedPort, startTimeout, tls);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(extraArgs, port, timeout, tls);
        }

        /** TLS only (no plain port), with this certificate, trusting {@code tls.authority()} for client certificates. */
        public Options withTls(Tls settings) {
            return new Options(extraArgs, port, startTimeout, Objects.requireNonNull(settings, "settings"));
        }
    }

    /**
     * A TLS-only server's certificate and key, the CA whose client certificates it accepts, and whether it demands
     * one ({@code tls-auth-clients yes}: mutual TLS). {@code client} is what devstack's own readiness probe shows.
     */
    public record Tls(TestCertificates.Issued server, Path authority, boolean requireClientCertificates,
                      TestCertificates.Issued client) {
        public Tls {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(client, "client");
        }
    }

    private RedisServer(Options options, Path executable, Path dir, int port) {
        this.options = options;
        this.executable = executable;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a redis-server and waits until it answers {@code PING}.
     *
     * @throws RedisNotInstalledException when {@code redis-server} is not on the {@code PATH}
     * @throws DevStackException          when it does not come up in time (the message has the tail of its log)
     */
    public static RedisServer start(Options options) {
        Objects.requireNonNull(options, "options");
        Path executable = RedisExecutable.locate();
        // A picked port can be taken by someone else before redis binds it: then (only then) retry on a fresh one.
        int attempts = options.port() == Options.ANY_FREE_PORT ? START_ATTEMPTS_ON_FREE_PORTS : 1;
        DevStackException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = options.port() == Options.ANY_FREE_PORT ? FreePorts.one() : options.port();
            RedisServer server = new RedisServer(options, executable, Directories.createTemp("cachep-redis-"), port);
            try {
                server.launch();
                ShutdownCloser.register(server);
                return server;
            } catch (DevStackException e) {
                boolean portTaken = e instanceof PortInUseException
                        || LogTail.contains(server.dir.resolve("redis.log"), "Address already in use");
                server.close();
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

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} ({@code rediss://} for a TLS server), for Lettuce's {@code RedisURI.create}. */
    public String uri() {
        return (options.tls() == null ? "redis" : "rediss") + "://127.0.0.1:" + port;
    }

    /** The directory holding its AOF/RDB files and {@code redis.log}; deleted by {@link #close()}. */
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

    /** SIGKILL, and waits until it is gone. Nothing is flushed that {@code appendfsync} had not already written. */
    public synchronized void kill() {
        guard.check("kill");
        current().kill();
        LOG.info("redis-server on port {} killed", port);
    }

    /** SIGTERM, and waits until it is gone (Redis fsyncs its AOF if enabled; {@code --save ''} skips the RDB). */
    public synchronized void stop() {
        guard.check("stop");
        terminate();
    }

    private void terminate() {
        if (process != null && process.terminate(STOP_GRACE)) {
            LOG.info("redis-server on port {} stopped", port);
        }
    }

    /** Stops it if running, then starts it again on the same port and directory, so AOF data survives. */
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

    private void launch() {
        Deadline deadline = Deadline.after(options.startTimeout());
        long started = System.nanoTime();
        FreePorts.requireFree("redis-server", port);
        process = ChildProcess.launch("redis-server on port " + port, command(), Map.of(), dir,
                dir.resolve("redis.log"));
        while (!answersPing(deadline.atMost(PING_TIMEOUT))) {
            if (process.awaitExit(deadline.atMost(POLL))) {
                throw new DevStackException("redis-server on port " + port + " exited with code "
                        + process.exitValue() + " while starting; " + process.logTail());
            }
            if (deadline.expired()) {
                process.kill();
                throw new DevStackException("redis-server on port " + port + " did not answer PING within "
                        + options.startTimeout().toSeconds() + " s; " + process.logTail());
            }
        }
        LOG.info("redis-server started on port {} (pid {}) in {} ms", port, process.pid(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private boolean answersPing(Duration timeout) {
        Tls tls = options.tls();
        return tls == null ? RedisPing.answers(port, timeout)
                : RedisPing.answersOverTls(executable.resolveSibling("redis-cli"), port, tls, timeout);
    }

    private List<String> command() {
        Tls tls = options.tls();
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", tls == null ? Integer.toString(port) : "0",
                "--bind", "127.0.0.1",
                "--daemonize", "no",
                "--dir", dir.toString(),
                "--pidfile", dir.resolve("redis.pid").toString(),
                "--save", "",
                "--appendonly", "no"));
        if (tls != null) {
            command.addAll(List.of("--tls-port", Integer.toString(port),
                    "--tls-cert-file", tls.server().certificate().toString(),
                    "--tls-key-file", tls.server().privateKey().toString(),
                    "--tls-ca-cert-file", tls.authority().toString(),
                    "--tls-auth-clients", tls.requireClientCertificates() ? "yes" : "no"));
        }
        command.addAll(options.extraArgs());
        return command;
    }

    private ChildProcess current() {
        requireOpen();
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " was never started");
        }
        return process;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("redis-server on port " + port + " is closed");
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + "]";
    }
}
