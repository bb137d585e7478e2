package io.cachep.devstack;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a real redis-server, both on free loopback ports, for the demo and integration tests.
 *
 * <p>Both run as child processes: the broker as a single-node KRaft JVM started from the Kafka jars on this class
 * path, Redis as the {@code redis-server} found on the {@code PATH} ({@code apt-get install -y redis-server}). No
 * Docker, no fixed ports, nothing to install besides Redis.
 *
 * <pre>{@code
 * try (DevStack stack = DevStack.start()) {
 *     props.put("bootstrap.servers", stack.bootstrapServers());     // 127.0.0.1:<port>
 *     RedisClient redis = RedisClient.create(stack.redisUri());     // redis://127.0.0.1:<port>
 *     ...
 * }
 * }</pre>
 *
 * <p>Integration tests do not start their own: they use {@code io.cachep.devstack.junit.DevStackExtension}, which
 * shares one stack per test JVM and gives each test its own application id, topic names and key prefix. A test that
 * kills, pauses or restarts Kafka or Redis must start its own {@link KafkaBroker} or {@link RedisServer} instead, so
 * it does not break the shared one under other tests. From a shell, {@code devstack up} (see {@link DevStackMain})
 * starts one and prints its addresses.
 *
 * <p>Nothing outlives the JVM: {@link #close()} stops both and deletes their directories; a shutdown hook does the
 * same on exit or Ctrl-C; and a watchdog per child process ({@link ChildProcessReaper}) does it when the JVM is killed
 * with {@code kill -9}.
 */
public final class DevStack implements AutoCloseable {
    // Also initializes SLF4J on this thread before two start threads would race to do it (SLF4J warns about that).
    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    private final KafkaBroker kafka;
    private final RedisServer redis;

    private DevStack(KafkaBroker kafka, RedisServer redis) {
        this.kafka = kafka;
        this.redis = redis;
    }

    /** Starts a broker and a redis-server with default options, in parallel, and waits until both serve clients. */
    public static DevStack start() {
        return start(KafkaBroker.Options.defaults(), RedisServer.Options.defaults());
    }

    /** As {@link #start()}; if either fails to start, the other is stopped before the failure is thrown. */
    public static DevStack start(KafkaBroker.Options kafkaOptions, RedisServer.Options redisOptions) {
        Objects.requireNonNull(kafkaOptions, "kafkaOptions");
        Objects.requireNonNull(redisOptions, "redisOptions");
        RedisExecutable.locate(); // a missing redis-server should fail now, not after the broker's seconds of start-up
        // Redis is up in milliseconds and the broker in seconds: start Redis on another thread, the broker on this one.
        CompletableFuture<RedisServer> redisFuture = new CompletableFuture<>();
        Thread redisStarter = new Thread(() -> {
            try {
                redisFuture.complete(RedisServer.start(redisOptions));
            } catch (Throwable t) {
                redisFuture.completeExceptionally(t);
            }
        }, "devstack-redis-start");
        redisStarter.start();

        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(kafkaOptions);
        } catch (RuntimeException e) {
            redisFuture.thenAccept(RedisServer::close).exceptionally(t -> null).join();
            throw e;
        }
        try {
            DevStack stack = new DevStack(kafka, redisFuture.join());
            LOG.info("devstack up: Kafka {}, Redis {}", stack.bootstrapServers(), stack.redisUri());
            return stack;
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause
                    : new DevStackException("could not start redis-server", e.getCause());
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public RedisServer redis() {
        return redis;
    }

    /**
     * Marks both servers as shared: pausing, stopping, killing or restarting either is refused from now on (closing
     * still works), with a message naming {@code sharedBy}.
     */
    public void share(String sharedBy) {
        kafka.share(sharedBy);
        redis.share(sharedBy);
    }

    /** Throws unless both processes are still running, naming the one that is not. */
    public void requireRunning() {
        if (!kafka.isAlive() || !redis.isAlive()) {
            throw new DevStackException((kafka.isAlive() ? "redis-server on " + redisUri() : "the Kafka broker on "
                    + bootstrapServers()) + " is no longer running");
        }
    }

    /** {@code 127.0.0.1:<port>} of the broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** {@code redis://127.0.0.1:<port>} of the redis-server. */
    public String redisUri() {
        return redis.uri();
    }

    /** Stops both and deletes their directories. Idempotent. */
    @Override
    public void close() {
        try {
            redis.close();
        } finally {
            kafka.close();
        }
    }

    @Override
    public String toString() {
        return "DevStack[kafka=" + bootstrapServers() + ", redis=" + redisUri() + "]";
    }
}
