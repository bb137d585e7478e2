package io.cachep.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.RedisConnector;
import io.cachep.apply.RedisTarget;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.cli.OutputFormat;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.KafkaBroker;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.producer.DemoProducer;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.text.DurationText;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/bench}: in one process tree on a fresh devstack, pre-loads the demo's mixed workload and measures, side
 * by side, this machine's Redis and Kafka limits, two hand-written consumers, and the projector (throughput, latency,
 * memory through a Redis pause, two instances), then checks the projector's result against the reference model; and
 * the read side: cachep-client's L1 hits, Redis reads and write-to-invalidation times ({@code --runs client} alone
 * starts a redis-server and no broker).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the projector against this machine's limits and two home-grown consumers, in one run.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured, and Redis equalled the reference model", "1:failed",
                "2:usage", "3:measured, but Redis diverged from the reference model, or the client run missed an"
                        + " invalidation"})
public final class BenchMain implements Callable<Integer> {
    /** The parts of the bench, in the order they run (run 4b after 5 and 6). */
    enum Run { kafka, redis, floor, naive_sync, naive_batched, projector, cluster, before, latency, pause, scaling, client,
        recovery, follow, share }

    /**
     * What {@code bin/bench} runs unless told: everything but the Redis Cluster run, which {@code --redis-cluster} adds.
     * The client run adds about 20 s to the default run's 20 minutes.
     */
    static final Set<Run> DEFAULT_RUNS = Set.copyOf(EnumSet.complementOf(EnumSet.of(Run.cluster, Run.recovery, Run.follow, Run.share)));

    private static final String DLQ_TOPIC = "cachep-dlq";

    @Option(names = "--events", defaultValue = "1000000", description = "Records to pre-load (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", defaultValue = "20000", description = "Users in the workload (default: ${DEFAULT-VALUE}); with --sessions, sets the number of entities.")
    int users;

    @Option(names = "--sessions", defaultValue = "20000", description = "Sessions open at once (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per event topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--duplicates", defaultValue = "0.05", description = "Fraction of events sent twice (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--reorder", defaultValue = "0.05", description = "Fraction of events sent after their entity's next one (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", split = ",", description = "Which parts to run, in order: ${COMPLETION-CANDIDATES}"
            + " (default: all but cluster).")
    Set<Run> runs = EnumSet.copyOf(DEFAULT_RUNS);

    @Option(names = "--redis-cluster",
            description = "Also run the projector on a Redis Cluster (run 4c, 'cluster'), right after the single-server"
                    + " run 4: its events/s and Redis CPU per event summed over the primaries and per primary, against"
                    + " run 4's, then the model check on the cluster. With --runs projector, only those two.")
    boolean redisCluster;

    @Option(names = "--redis-cluster-primaries", defaultValue = "3",
            description = "Primaries of the run-4c cluster (default: ${DEFAULT-VALUE}; at least 3).")
    int clusterPrimaries;

    @Option(names = "--redis-cluster-replicas", defaultValue = "1",
            description = "Replicas per primary of the run-4c cluster (default: ${DEFAULT-VALUE}; 0 measures the"
                    + " primaries without replication).")
    int clusterReplicas;

    @Option(names = "--latency-duration", defaultValue = "60s", description = "How long to produce live for the latency run (default: ${DEFAULT-VALUE}).")
    String latencyDuration;

    @Option(names = "--latency-warm-up", defaultValue = "15s", description = "Live load before the latency run samples anything (default: ${DEFAULT-VALUE}).")
    String latencyWarmUp;

    @Option(names = "--latency-rate", split = ",", paramLabel = "R",
            description = "Events/s for the latency runs, one run per rate; by default half, a quarter and a tenth of the"
                    + " projector's measured rate (the first is the issue's 'half load').")
    List<Double> latencyRates = new ArrayList<>();

    @Option(names = "--pause", defaultValue = "2m", description = "How long Redis is paused in the memory run (default: ${DEFAULT-VALUE}).")
    String pause;

    @Option(names = "--pause-rate", defaultValue = "5000", description = "Events/s produced while Redis is paused (default: ${DEFAULT-VALUE}).")
    double pauseRate;

    @Option(names = "--scale-instances", defaultValue = "2", description = "Projector instances in the scaling run (default: ${DEFAULT-VALUE}).")
    int scaleInstances;

    @Option(names = "--rules-file", defaultValue = "rules/demo.yaml", description = "Projection rules (default: ${DEFAULT-VALUE}).")
    Path rulesFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A projector setting for the projector runs, e.g. --set projector.inflight.max.events=2000.")
    List<String> projectorSettings = new ArrayList<>();

    @Option(names = "--projector-jvm-option", paramLabel = "FLAG",
            description = "A JVM flag for the projector processes, e.g. -XX:StartFlightRecording=filename=/tmp/{instance}.jfr"
                    + " ({instance} becomes the instance's name).")
    List<String> projectorJvmOptions = new ArrayList<>();

    @Option(names = "--projector-classpath", paramLabel = "CP",
            description = "Run the projector from another build's class path (e.g. an earlier commit's"
                    + " projector/target/projector.jar:projector/target/lib/*), to compare builds on one workload.")
    String projectorClassPath;

    @Option(names = "--before-classpath", paramLabel = "CP",
            description = "The class path of the build to compare with (e.g. the commit before a change, built:"
                    + " projector/target/projector.jar:projector/target/lib/*): run 4b runs it on the same workload and"
                    + " the report says 'vs before'. Without it, run 4b is skipped.")
    String beforeClassPath;

    @Option(names = "--client-entries", defaultValue = "10000",
            description = "Hash entries the client run pre-loads (default: ${DEFAULT-VALUE}).")
    int clientEntries;

    @Option(names = "--client-l1-reads", defaultValue = "1000000",
            description = "L1 hits the client run times (default: ${DEFAULT-VALUE}).")
    int clientL1Reads;

    @Option(names = "--client-redis-reads", defaultValue = "50000",
            description = "Redis reads of each kind the client run times (default: ${DEFAULT-VALUE}).")
    int clientRedisReads;

    @Option(names = "--client-writes", defaultValue = "2000",
            description = "Fenced writes the client run times to invalidation (default: ${DEFAULT-VALUE}).")
    int clientWrites;

    @Option(names = "--client-write-rate", defaultValue = "1000",
            description = "The most writes per second in the client run (default: ${DEFAULT-VALUE}).")
    double clientWriteRate;

    @Option(names = "--recovery-sizes", split = ",", paramLabel = "N", defaultValue = "1000000,3000000,10000000",
            description = "Run 9 ('recovery', run alone): the log sizes at which dlq-tool verify and rebuild are measured,"
                    + " the log growing from one to the next (default: ${DEFAULT-VALUE}).")
    List<Long> recoverySizes;

    @Option(names = "--follow-log", paramLabel = "N", defaultValue = "1000000",
            description = "Run 10 ('follow', run alone): records in the log before the follower starts (default: ${DEFAULT-VALUE}).")
    long followLog;

    @Option(names = "--share-log", paramLabel = "N", defaultValue = "1000000",
            description = "Run 11 ('share', run alone): records in the log a shared verify reads (default: ${DEFAULT-VALUE}).")
    long shareLog;

    @Option(names = "--follow-rate", paramLabel = "N", defaultValue = "200",
            description = "Run 10: events a second while it follows (default: ${DEFAULT-VALUE}, bin/producer-demo's rate).")
    double followRate;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter err;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
        int exit = commandLine.execute(args);
        commandLine.getOut().flush();
        System.exit(exit);
    }

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        if (clusterPrimaries < 3 || clusterReplicas < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--redis-cluster-primaries must be 3 or more"
                    + " (a Redis Cluster's quorum) and --redis-cluster-replicas 0 or more, not " + clusterPrimaries
                    + " and " + clusterReplicas);
        }
        runs = selectedRuns();
        ClientRun.Options clientOptions = clientOptions();
        BenchResults results = new BenchResults();
        if (runs.equals(EnumSet.of(Run.client))) {
            measureClientAlone(results, clientOptions);
        } else if (runs.contains(Run.recovery)) {
            if (runs.size() > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs recovery runs alone (it grows its own"
                        + " log to each of --recovery-sizes); run the others in another bench run");
            }
            measureRecoveryAlone(results);
        } else if (runs.contains(Run.share)) {
            if (runs.size() > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs share runs alone (its own log);"
                        + " run the others in another bench run");
            }
            measureShareAlone(results);
        } else if (runs.contains(Run.follow)) {
            if (runs.size() > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs follow runs alone (it flushes Redis);"
                        + " run the others in another bench run");
            }
            measureFollowAlone(results);
        } else {
            measureOnDevStack(results, clientOptions);
        }
        BenchReport report = new BenchReport(results);
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().writeValueAsString(report.json()));
        } else {
            out.print(report.render());
        }
        out.flush();
        return results.modelHeld() && results.clientHeld() ? 0 : 3;
    }

    /** {@code --client-*} as the client run's options, or a usage error. */
    ClientRun.Options clientOptions() {
        try {
            return new ClientRun.Options(clientEntries, clientL1Reads, clientRedisReads, clientWrites, clientWriteRate);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--client-*: " + e.getMessage());
        }
    }

    /** Every run asked for but the client run alone: on a devstack, after pre-loading the workload into Kafka. */
    private void measureOnDevStack(BenchResults results, ClientRun.Options clientOptions) throws Exception {
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        RuleEngine engine = new RuleEngine(rules);
        results.workload = new Workload(events, users, sessions, duplicates, reorder, seed);
        results.partitions = partitions;
        results.scalingInstances = scaleInstances;
        Path workDir = Files.createTempDirectory("cachep-bench-");

        step("starting devstack (the broker with production JVM flags)");
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withJvmArgs(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")), RedisServer.Options.defaults());
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            Map<String, Object> kafka = Map.of("bootstrap.servers", stack.bootstrapServers());
            List<String> topics = createTopics(kafka, rules);

            step("pre-loading " + events + " records");
            FaultInjector stream = results.workload.stream();
            results.loaded = Preloader.load(stack.bootstrapServers(), results.workload, stream);
            step("pre-loaded in " + results.loaded.elapsed().toMillis() + " ms: " + results.loaded.entities() + " entities");

            List<LoggedEvent> log = new ArrayList<>();
            Map<TopicPartition, Long> ends;
            try (LogReader reader = new LogReader(kafka)) {
                ends = reader.endOffsets(Set.copyOf(topics));
                LoggedEvents decode = new LoggedEvents();
                reader.readUpTo(ends, record -> decode.of(record).ifPresent(log::add), n -> { });
            }

            RedisClient client = RedisConnector.client(RedisURI.create(stack.redisUri()), Duration.ofSeconds(30));
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                Session session = new Session(stack, admin, redis, kafka, topics, engine, stream, workDir);
                results.environment = environment(redis, true);
                if (projectorClassPath != null) {
                    results.environment.put("projector class path", projectorClassPath);
                }
                if (beforeClassPath != null) {
                    results.environment.put("before class path", beforeClassPath);
                }
                measureLimitsAndBaselines(session, results, log, ends);
                if (runs.contains(Run.projector) || runs.contains(Run.latency) || runs.contains(Run.pause)) {
                    measureProjector(session, results, log);
                } else if (runs.contains(Run.cluster)) {
                    measureCluster(session, results, log, null);
                }
                if (runs.contains(Run.before) && beforeClassPath != null) {
                    measureBefore(session, results);
                }
                if (runs.contains(Run.scaling)) {
                    measureScaling(session, results);
                }
                if (runs.contains(Run.client)) {
                    measureClient(stack.redisUri(), redis, results, clientOptions);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** The client run alone needs no broker: a redis-server of its own. */
    private void measureClientAlone(BenchResults results, ClientRun.Options options) throws Exception {
        step("starting a redis-server (the client run alone needs no broker)");
        try (RedisServer server = RedisServer.start(RedisServer.Options.defaults())) {
            RedisClient client = RedisConnector.client(RedisURI.create(server.uri()), Duration.ofSeconds(30));
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                results.environment = environment(redis, false);
                measureClient(server.uri(), redis, results, options);
            } finally {
                client.shutdown();
            }
        }
    }

    /** Run 8: cachep-client's L1 hits, Redis reads and write-to-invalidation, from an empty Redis. */
    private void measureClient(String redisUri, StatefulRedisConnection<String, String> redis, BenchResults results,
                               ClientRun.Options options) throws Exception {
        step("run 8: cachep-client");
        reset(redis);
        results.client = ClientRun.run(redisUri, redis, options, what -> step("run 8: " + what));
    }

    /** {@code --runs}, plus the cluster run when {@code --redis-cluster} asks for it. */
    /** Run 9 alone: a devstack, the log grown to each size in turn, dlq-tool's verify and rebuild measured at each. */
    private void measureRecoveryAlone(BenchResults results) throws Exception {
        List<Long> sizes = recoverySizes.stream().sorted().toList();
        if (sizes.isEmpty() || sizes.get(0) < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--recovery-sizes must be positive, was " + sizes);
        }
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        Workload whole = new Workload(sizes.get(sizes.size() - 1), users, sessions, duplicates, reorder, seed);
        Path workDir = Files.createTempDirectory("cachep-bench-recovery-");
        step("starting devstack");
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withJvmArgs(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")), RedisServer.Options.defaults())) {
            createTopics(Map.of("bootstrap.servers", stack.bootstrapServers()), rules);
            RecoveryRun run = new RecoveryRun(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toAbsolutePath().toString(),
                    "PROJECTOR_APPLICATION_ID", "cachep-bench-recovery", "PROJECTOR_DLQ_TOPIC", DLQ_TOPIC), workDir);
            FaultInjector stream = whole.stream();
            long loaded = 0;
            results.recovery = new ArrayList<>();
            for (long size : sizes) {
                step("growing the log to " + size + " records");
                Preloader.load(stack.bootstrapServers(), new Workload(size - loaded, users, sessions, duplicates,
                        reorder, seed), stream);
                loaded = size;
                step("verify, rebuild --execute, verify at " + size + " records (" + RecoveryRun.HEAP + " each)");
                results.recovery.add(run.measure(size, rules.namespace()));
            }
            try (RedisClient client = RedisClient.create(stack.redisUri());
                 StatefulRedisConnection<String, String> redis = client.connect()) {
                results.environment = environment(redis, true);
            }
        }
    }

    /** Run 11 alone: a devstack, the log pre-loaded, Redis rebuilt from it, then plain and shared verifies. */
    private void measureShareAlone(BenchResults results) throws Exception {
        if (shareLog < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--share-log must be positive");
        }
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        Path workDir = Files.createTempDirectory("cachep-bench-share-");
        step("starting devstack");
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withJvmArgs(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")), RedisServer.Options.defaults())) {
            createTopics(Map.of("bootstrap.servers", stack.bootstrapServers()), rules);
            step("pre-loading " + shareLog + " records");
            Workload workload = new Workload(shareLog, users, sessions, duplicates, reorder, seed);
            Preloader.load(stack.bootstrapServers(), workload, workload.stream());
            RecoveryRun commands = new RecoveryRun(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toAbsolutePath().toString(),
                    "PROJECTOR_APPLICATION_ID", "cachep-bench-share", "PROJECTOR_DLQ_TOPIC", DLQ_TOPIC), workDir);
            step("run 11: rebuild --execute (Redis then equals the log)");
            RecoveryRun.Command rebuilt = commands.await(commands.start("rebuild", "rebuild", "--namespace",
                    rules.namespace(), "--execute"));
            if (rebuilt.exit() != 0) {
                throw new IllegalStateException("run 11: rebuild --execute failed (exit " + rebuilt.exit() + ")");
            }
            step("run 11: verify, verify --run in one process, verify --run in two");
            results.share = ShareRun.measure(commands, shareLog);
            try (RedisClient client = RedisClient.create(stack.redisUri());
                 StatefulRedisConnection<String, String> redis = client.connect()) {
                results.environment = environment(redis, true);
            }
        }
    }

    /**
     * Run 10 alone: a devstack, the log pre-loaded, a projector caught up, then {@code verify --follow} beside it while
     * events arrive at {@code --follow-rate}, and a FLUSHALL.
     */
    private void measureFollowAlone(BenchResults results) throws Exception {
        if (followLog < 1 || followRate <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--follow-log and --follow-rate must be positive");
        }
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        Workload workload = new Workload(followLog, users, sessions, duplicates, reorder, seed);
        Path workDir = Files.createTempDirectory("cachep-bench-follow-");
        String appId = "cachep-bench-follow";
        step("starting devstack");
        try (DevStack stack = DevStack.start(KafkaBroker.Options.defaults().withJvmArgs(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")), RedisServer.Options.defaults());
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            List<String> topics = createTopics(Map.of("bootstrap.servers", stack.bootstrapServers()), rules);
            step("pre-loading " + followLog + " records");
            FaultInjector stream = workload.stream();
            Preloader.load(stack.bootstrapServers(), workload, stream);
            Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toAbsolutePath().toString(),
                    "PROJECTOR_APPLICATION_ID", appId, "PROJECTOR_DLQ_TOPIC", DLQ_TOPIC);
            LagProbe lag = new LagProbe(admin, appId, topics);
            step("a projector catches up with the log");
            try (ProjectorFleet projector = ProjectorFleet.start(1, appId, env, projectorClassPath(), projectorJvmOptions,
                    List.of(), workDir);
                 org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
                         new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of("bootstrap.servers",
                                 stack.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                                 new org.apache.kafka.common.serialization.ByteArraySerializer());
                 RedisClient client = RedisClient.create(stack.redisUri());
                 StatefulRedisConnection<String, String> redis = client.connect()) {
                lag.awaitZero(Duration.ofMinutes(30));
                results.follow = new FollowRun(env, workDir, what -> step("run 10: " + what)).measure(followLog, followRate,
                        producer, stream, redis.sync(), new io.cachep.rules.KeyLayout(rules.namespace()),
                        () -> lag.awaitZero(Duration.ofMinutes(10)));
                results.environment = environment(redis, true);
            }
        }
    }

    Set<Run> selectedRuns() {
        Set<Run> selected = EnumSet.noneOf(Run.class);
        selected.addAll(runs);
        if (redisCluster) {
            selected.add(Run.cluster);
        }
        return selected;
    }

    /** What every run works with. */
    private record Session(DevStack stack, Admin admin, StatefulRedisConnection<String, String> redis,
                           Map<String, Object> kafka, List<String> topics, RuleEngine engine, FaultInjector stream,
                           Path workDir) {}

    /** Runs 1 to 3: the machine's limits and the hand-written baselines, each from an empty Redis. */
    private void measureLimitsAndBaselines(Session session, BenchResults results, List<LoggedEvent> log,
                                           Map<TopicPartition, Long> ends) throws Exception {
        StatefulRedisConnection<String, String> redis = session.redis();
        if (runs.contains(Run.kafka)) {
            step("run 2: kafka limit");
            results.kafkaLimit = KafkaLimitRun.run(session.kafka(), ends);
        }
        if (runs.contains(Run.redis)) {
            step("run 1: redis limit");
            reset(redis);
            RedisStats before = RedisStats.read(redis.sync());
            results.redisLimit = RedisLimitRun.run(redis, session.engine(), log);
            results.redisLimitStats = RedisStats.read(redis.sync()).minus(before);
        }
        if (runs.contains(Run.floor)) {
            step("run 1b: redis floor");
            reset(redis);
            RedisStats before = RedisStats.read(redis.sync());
            results.redisFloor = RedisFloorRun.run(redis, session.engine(), log);
            results.redisFloorStats = RedisStats.read(redis.sync()).minus(before);
        }
        if (runs.contains(Run.naive_sync)) {
            step("run 3a: naive-sync");
            reset(redis);
            results.naiveSync = NaiveSyncRun.run(session.kafka(), session.topics(), results.loaded.records(), redis.sync());
        }
        if (runs.contains(Run.naive_batched)) {
            step("run 3b: naive-batched");
            reset(redis);
            RedisStats before = RedisStats.read(redis.sync());
            results.naiveBatched = NaiveBatchedRun.run(session.kafka(), session.topics(), results.loaded.records(), redis,
                    session.engine());
            results.naiveBatchedStats = RedisStats.read(redis.sync()).minus(before);
        }
    }

    /**
     * Runs 4 to 6 with one projector: catching up on the log, the model check, live latency, a Redis pause; and run 4c
     * (the same on a Redis Cluster) right after run 4, over the same log.
     */
    private void measureProjector(Session session, BenchResults results, List<LoggedEvent> log) throws Exception {
        StatefulRedisConnection<String, String> redis = session.redis();
        reset(redis);
        String appId = "cachep-bench-" + System.currentTimeMillis();
        LagProbe lag = new LagProbe(session.admin(), appId, session.topics());
        try (ProjectorFleet fleet = startProjectors(session, 1, appId);
             Producer<String, byte[]> producer = DemoProducer.kafkaProducer(session.stack().bootstrapServers(), "cachep-bench-live")) {
            step("run 4: projector, 1 instance (logs in " + session.workDir() + ")");
            results.projector = ProjectorRun.measure("projector", fleet, results.loaded.records(), session.admin(), lag,
                    RedisNodes.single(session.stack().redis(), redis.sync()), cpuSplit(fleet, session.stack()));
            step("model check: Redis against the reference projection of the log");
            ModelCheck.Result check = ModelCheck.run(session.engine(), log, redis.sync());
            results.modelEntries = check.entries();
            results.modelDivergences = check.divergences();
            if (runs.contains(Run.cluster)) {
                boolean liveRunsFollow = runs.contains(Run.latency) || runs.contains(Run.pause);
                if (!liveRunsFollow) {
                    fleet.close(); // done: the cluster run has the machine to itself
                }
                // Otherwise run 4's projector stays up for runs 5 and 6, caught up and idle meanwhile (its CPU is shown).
                measureCluster(session, results, log, liveRunsFollow ? fleet : null);
            }
            // The decoded log is needed no more: let it go, so that no collection of a heap that holds it pauses the
            // live producer and reader below and shows up as latency.
            log.clear();
            System.gc();
            if (runs.contains(Run.latency)) {
                double measured = results.projector.throughput().eventsPerSecond();
                List<Double> rates = latencyRates.isEmpty() ? List.of(measured / 2, measured / 4, measured / 10) : latencyRates;
                for (double rate : rates) {
                    step(String.format("run 5: latency at %.0f events/s for %s after %s of warm-up", rate, latencyDuration,
                            latencyWarmUp));
                    results.latency.add(LatencyRun.run(producer, session.stream(), rate, DurationText.parse(latencyWarmUp),
                            DurationText.parse(latencyDuration), redis, session.engine().layout()));
                    lag.awaitZero(Duration.ofMinutes(10));
                }
            }
            if (runs.contains(Run.pause)) {
                step("run 6: Redis paused for " + pause + " while events arrive at " + pauseRate + "/s");
                results.pause = PauseRun.run(producer, session.stream(), pauseRate, DurationText.parse(pause),
                        session.stack().redis(), fleet, lag);
            }
        }
    }

    /**
     * Run 4c: one projector on a fresh Redis Cluster over the same pre-loaded records, with its own application id:
     * events/s and Redis CPU per event, summed over the primaries and per server, then the cluster against the model.
     *
     * @param idle run 4's projector when it stays up for the live runs (its CPU is shown apart), else null
     */
    private void measureCluster(Session session, BenchResults results, List<LoggedEvent> log, ProjectorFleet idle)
            throws Exception {
        step("run 4c: starting a Redis Cluster, " + clusterPrimaries + " primaries with " + clusterReplicas
                + " replica(s) each");
        // Redis's default node timeout (15 s), not devstack's 2 s for failover tests: on two busy cores a node that
        // answers the cluster bus late must not be failed over mid-run.
        RedisCluster.Options options = new RedisCluster.Options(clusterPrimaries, clusterReplicas, Duration.ofSeconds(15),
                Duration.ofSeconds(120), List.of());
        try (RedisCluster cluster = RedisCluster.start(options);
             RedisNodes nodes = RedisNodes.of(cluster)) {
            results.clusterPrimaries = clusterPrimaries;
            results.clusterReplicasPerPrimary = clusterReplicas;
            results.environment.put("redis cluster (run 4c)", clusterPrimaries + " primaries, " + clusterReplicas
                    + " replica(s) each, cluster-node-timeout 15 s, no persistence, on the same cores");
            String appId = "cachep-bench-cluster-" + System.currentTimeMillis();
            LagProbe lag = new LagProbe(session.admin(), appId, session.topics());
            Map<String, String> redisEnvironment = Map.of("PROJECTOR_REDIS_URI", cluster.uri(),
                    "PROJECTOR_REDIS_CLUSTER", "true");
            try (ProjectorFleet fleet = startProjectors(session, 1, appId, projectorClassPath(), redisEnvironment)) {
                step("run 4c: projector on the Redis Cluster " + cluster.uri());
                results.cluster = ProjectorRun.measure("projector (cluster)", fleet, results.loaded.records(),
                        session.admin(), lag, nodes, clusterCpuSplit(fleet, session.stack(), nodes, idle));
            }
            step("model check: the Redis Cluster against the reference projection of the log");
            ProjectorConfig config = new ConfigLoader(Map.of(
                    "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", session.stack().bootstrapServers(),
                    "PROJECTOR_RULES_FILE", rulesFile.toAbsolutePath().toString(),
                    "PROJECTOR_REDIS_URI", cluster.uri(), "PROJECTOR_REDIS_CLUSTER", "true")).load(Optional.empty(), Map.of());
            try (RedisTarget target = RedisTarget.connect(config.redis(), null)) {
                ModelCheck.Result check = ModelCheck.run(session.engine(), log, target);
                results.clusterModelEntries = check.entries();
                results.clusterModelDivergences = check.divergences();
            }
        }
    }

    /** Run 4b: the build before a change, one projector over the pre-loaded records, from an empty Redis. */
    private void measureBefore(Session session, BenchResults results) throws Exception {
        reset(session.redis());
        String appId = "cachep-bench-before-" + System.currentTimeMillis();
        LagProbe lag = new LagProbe(session.admin(), appId, session.topics());
        try (ProjectorFleet fleet = startProjectors(session, 1, appId, beforeClassPath)) {
            step("run 4b: projector, the build before (" + beforeClassPath + ")");
            results.projectorBefore = ProjectorRun.measure("projector (before)", fleet, results.loaded.records(),
                    session.admin(), lag, RedisNodes.single(session.stack().redis(), session.redis().sync()),
                    cpuSplit(fleet, session.stack()));
        }
    }

    /** Run 7: several projectors with one application id, over everything produced so far, from an empty Redis. */
    private void measureScaling(Session session, BenchResults results) throws Exception {
        reset(session.redis());
        String appId = "cachep-bench-scaling-" + System.currentTimeMillis();
        LagProbe lag = new LagProbe(session.admin(), appId, session.topics());
        long expected = lag.endOffsets().values().stream().mapToLong(Long::longValue).sum();
        try (ProjectorFleet fleet = startProjectors(session, scaleInstances, appId)) {
            step("run 7: projector, " + scaleInstances + " instances, over all " + expected + " records");
            results.scaling = ProjectorRun.measure("projector x" + scaleInstances, fleet, expected, session.admin(), lag,
                    RedisNodes.single(session.stack().redis(), session.redis().sync()), cpuSplit(fleet, session.stack()));
        }
    }

    private ProjectorFleet startProjectors(Session session, int instances, String appId) throws java.io.IOException {
        return startProjectors(session, instances, appId, projectorClassPath());
    }

    private ProjectorFleet startProjectors(Session session, int instances, String appId, String classPath)
            throws java.io.IOException {
        return startProjectors(session, instances, appId, classPath, Map.of("PROJECTOR_REDIS_URI", session.stack().redisUri()));
    }

    /** @param redis the {@code PROJECTOR_REDIS_*} settings: devstack's one server, or a cluster's seed list */
    private ProjectorFleet startProjectors(Session session, int instances, String appId, String classPath,
                                           Map<String, String> redis) throws java.io.IOException {
        Map<String, String> environment = new java.util.HashMap<>(redis);
        environment.putAll(Map.of(
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", session.stack().bootstrapServers(),
                "PROJECTOR_RULES_FILE", rulesFile.toAbsolutePath().toString(),
                "PROJECTOR_DLQ_TOPIC", DLQ_TOPIC));
        List<String> args = new ArrayList<>();
        projectorSettings.forEach(setting -> args.addAll(List.of("--set", setting)));
        return ProjectorFleet.start(instances, appId, environment, classPath, projectorJvmOptions, args,
                session.workDir());
    }

    private String projectorClassPath() {
        return projectorClassPath != null ? projectorClassPath : System.getProperty("java.class.path");
    }

    private List<String> createTopics(Map<String, Object> kafka, ProjectionRules rules) {
        List<TopicSpec> specs = new ArrayList<>();
        for (String topic : rules.topics()) {
            specs.add(new TopicSpec(topic, partitions, (short) 1, Map.of("max.message.bytes", "2097152")));
        }
        specs.add(new TopicSpec(DLQ_TOPIC, 3, (short) 1, Map.of("max.message.bytes", "3145728")));
        TopicSetup.apply(kafka, specs);
        return Workload.topics();
    }

    private static CpuSplit cpuSplit(ProjectorFleet fleet, DevStack stack) {
        return new CpuSplit().add("projector (" + fleet.instances().size() + " JVM)", fleet::cpuSeconds)
                .add("kafka broker", stack.kafka().pid()).add("redis-server", stack.redis().pid())
                .add("bench (metrics polling)", ProcessHandle.current().pid());
    }

    /**
     * Run 4c's processes: every cluster node by role and address, and run 4's projector apart when it idles meanwhile
     * (named so that it is not counted as the run's projector JVM).
     */
    private static CpuSplit clusterCpuSplit(ProjectorFleet fleet, DevStack stack, RedisNodes nodes, ProjectorFleet idle) {
        CpuSplit split = new CpuSplit().add("projector (" + fleet.instances().size() + " JVM)", fleet::cpuSeconds)
                .add("kafka broker", stack.kafka().pid());
        nodes.nodes().forEach(node -> split.add("redis-server, " + node.role() + " " + node.address(), node.pid()));
        if (idle != null) {
            split.add("run 4's projector, idle", idle::cpuSeconds);
        }
        return split.add("bench (metrics polling)", ProcessHandle.current().pid());
    }

    /** Each run starts from an empty Redis with zeroed command statistics. */
    private static void reset(StatefulRedisConnection<String, String> redis) {
        redis.sync().flushall();
        redis.sync().configResetstat();
    }

    /** @param kafka whether a broker and projectors run too (not for the client run alone) */
    private static Map<String, String> environment(StatefulRedisConnection<String, String> redis, boolean kafka) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / 1048576 + " MiB max heap for the bench JVM; every process shares the cores");
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        if (kafka) {
            env.put("kafka", "4.3.1, single KRaft broker (-Xmx1g, G1)");
        }
        env.put("redis", "redis-server " + redis.sync().info("server").lines()
                .filter(line -> line.startsWith("redis_version:")).findFirst().orElse(":?").split(":")[1].trim() + ", no persistence");
        if (kafka) {
            env.put("projector", "separate JVM, " + ProjectorProcess.MAX_HEAP);
        }
        return env;
    }

    private void step(String what) {
        err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + what);
        err.flush();
    }
}
