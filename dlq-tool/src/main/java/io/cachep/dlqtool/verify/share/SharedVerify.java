package io.cachep.dlqtool.verify.share;

import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.dlqtool.verify.DivergenceTally;
import io.cachep.dlqtool.verify.ShareOptions;
import io.cachep.rules.RuleEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * {@code verify --run ID}: this process's part of a verify shared by every process started with the same run id, on
 * any machine. The processes are one Kafka Streams application ({@code cachep-verify-<namespace>-<run>}), which
 * assigns them the run's tasks: the source partitions are split by entry into the run's shares, each share folds its
 * entries and compares them with Redis, and leaves its result in Redis. Every process waits until all shares' results
 * are there, and prints and records the combined result. The last process to leave removes the run's internal topics.
 */
public final class SharedVerify {
    /** How the combined result is printed: the same as a verify in one process. */
    public interface Report {
        void print(long records, long entries, DivergenceTally tally);
    }

    private static final Duration WAIT_STEP = Duration.ofMillis(250);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** A share holds the stream thread while it compares; the group waits that long before it gives the share away. */
    private static final int MAX_POLL_INTERVAL_MS = 30 * 60 * 1000;

    private final ShareOptions options;
    private final RuleEngine engine;
    private final String rulesDigest;
    private final Map<String, Object> kafka;
    private final RedisTarget redis;
    private final PrintWriter err;
    private final Function<String, RuntimeException> usageError;

    public SharedVerify(ShareOptions options, RuleEngine engine, String rulesDigest, Map<String, Object> kafka,
                        RedisTarget redis, PrintWriter err, Function<String, RuntimeException> usageError) {
        this.options = options;
        this.engine = engine;
        this.rulesDigest = rulesDigest;
        this.kafka = kafka;
        this.redis = redis;
        this.err = err;
        this.usageError = usageError;
    }

    /** The Kafka Streams application id of a run: its consumer group and the prefix of its internal topics. */
    public static String applicationId(String namespace, String run) {
        return "cachep-verify-" + namespace + "-" + run;
    }

    /** Joins the run, waits for its combined result, prints it; returns 0 when equal, 3 when divergent. */
    public int run(Report report) throws Exception {
        String namespace = engine.layout().namespace();
        RunRecords records = new RunRecords(redis.sync(), engine.layout(), options.run());
        RunDescriptor run = descriptor(records, namespace);
        String applicationId = applicationId(namespace, run.run());
        ShareStats stats = new ShareStats(System.getenv().getOrDefault("HOSTNAME", "localhost") + ":"
                + ProcessHandle.current().pid() + ":" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16)));
        err.printf("run %s: %d shares over %d source partitions (%,d records), application %s, process %s%n",
                run.run(), run.shares(), run.partitionsWithData().size(), run.records(), applicationId, stats.process());

        Map<String, String> done = records.results();
        if (done.size() < run.shares()) {
            records.join();
            try {
                done = follow(run, records, stats, applicationId);
            } finally {
                if (records.leave() <= 0) {
                    removeInternalTopics(applicationId);
                }
            }
        } else {
            err.println("run " + run.run() + " is complete already: printing its result");
        }

        List<ShareResult> results = new ArrayList<>(done.values().stream().map(ShareResult::fromJson).toList());
        results.sort(Comparator.comparingInt(ShareResult::share));
        DivergenceTally tally = new DivergenceTally(ShareFolder.SHOWN);
        long entries = 0;
        for (ShareResult result : results) {
            entries += result.entries();
            tally.addAll(result.byKind(), result.sample());
        }
        VerificationRecord.write(redis.sync(), engine.layout(), entries, tally.byKind());
        err.printf("this process compared shares %s of %d; it split %,d records (%,d poison) and folded %,d%n",
                stats.comparedShares(), run.shares(), stats.readCount(), stats.poisonCount(), stats.foldedCount());
        report.print(run.records(), entries, tally);
        return tally.total() == 0 ? 0 : 3;
    }

    private RunDescriptor descriptor(RunRecords records, String namespace) {
        RunDescriptor run = records.stored().orElse(null);
        if (run == null) {
            int shares = options.shares() == null ? ShareOptions.DEFAULT_SHARES : options.shares();
            RunDescriptor proposed = new RunDescriptor(options.run(), namespace, rulesDigest, shares,
                    Instant.now().toString(), RunBounds.of(kafka, engine.rules().topics()));
            run = records.fix(proposed);
            err.println(run == proposed ? "run " + options.run() + " is new: this process fixed its range of the log"
                    : "run " + options.run() + " was fixed by another process a moment ago");
        }
        if (!run.rulesDigest().equals(rulesDigest)) {
            throw usageError.apply("run " + options.run() + " was started with another rules file (digest "
                    + run.rulesDigest() + "): every process of a run must use the same rules");
        }
        if (options.shares() != null && options.shares() != run.shares()) {
            throw usageError.apply("run " + options.run() + " has " + run.shares() + " shares, fixed by its first process;"
                    + " --shares " + options.shares() + " cannot change it");
        }
        return run;
    }

    /** Runs this process's Kafka Streams member of the run until every share's result is in Redis. */
    private Map<String, String> follow(RunDescriptor run, RunRecords records, ShareStats stats, String applicationId)
            throws IOException, InterruptedException {
        Path stateDir = Files.createTempDirectory("cachep-verify-" + run.run() + "-");
        Properties properties = streamsProperties(applicationId, stateDir);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(
                ShareTopology.build(engine, run, redis, records, stats, err, properties), properties);
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            streams.start();
            long started = System.nanoTime();
            long printed = started;
            while (true) {
                Map<String, String> done = records.results();
                long now = System.nanoTime();
                if (done.size() >= run.shares() || now - printed >= PROGRESS_EVERY.toNanos()) {
                    printed = now;
                    double seconds = Math.max((now - started) / 1e9, 0.001);
                    err.printf("run %s: %d/%d shares compared; this process split %,d records (%,.0f/s) and folded %,d"
                                    + " (%,.0f/s) in %.1fs%n", run.run(), done.size(), run.shares(), stats.readCount(),
                            stats.readCount() / seconds, stats.foldedCount(), stats.foldedCount() / seconds, seconds);
                    err.flush();
                }
                if (done.size() >= run.shares()) {
                    return done;
                }
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                        || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                    Throwable cause = failure.get();
                    throw new IllegalStateException("this process's part of run " + run.run() + " stopped (" + state + ")"
                            + (cause == null ? "" : ": " + rootMessage(cause)), cause);
                }
                Thread.sleep(WAIT_STEP.toMillis()); // polls Redis for the shares' results; not a wait for a condition to hold by chance
            }
        } finally {
            // Leave the group now (Kafka Streams stays in it by default, waiting for a restart): the others rebalance
            // at once, and the last process can remove the group.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            streams.cleanUp();
            deleteRecursively(stateDir);
        }
    }

    private Properties streamsProperties(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.ISOLATION_LEVEL_CONFIG); // the bounds are found reading uncommitted, as this reads
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 8L << 20);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), MAX_POLL_INTERVAL_MS);
        return props;
    }

    /** The last process to leave removes the run's repartition and changelog topics and its consumer group. */
    private void removeInternalTopics(String applicationId) {
        try (Admin admin = Admin.create(kafka)) {
            List<String> internal = admin.listTopics().names().get().stream()
                    .filter(name -> name.startsWith(applicationId + "-")
                            && (name.endsWith("-repartition") || name.endsWith("-changelog")))
                    .toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get();
            }
            admin.deleteConsumerGroups(List.of(applicationId)).all().get();
            err.println("removed the run's internal topics " + internal + " and group " + applicationId);
        } catch (ExecutionException e) {
            err.println("could not remove all of run's Kafka resources (" + applicationId + "-*): " + rootMessage(e)
                    + "; remove them by hand");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
