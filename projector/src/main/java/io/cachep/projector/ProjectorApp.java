package io.cachep.projector;

import io.cachep.apply.ApplyBatcher;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.WriteObserver;
import io.cachep.projector.inflight.InFlightRegistry;
import io.cachep.projector.topology.CommitBarrierClientSupplier;
import io.cachep.projector.topology.EventSettler;
import io.cachep.projector.topology.ProcessingPolicy;
import io.cachep.projector.topology.RetryingApplier;
import io.micrometer.core.instrument.Gauge;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.ReplicaWait;
import io.cachep.apply.RedisPermissions;
import io.cachep.projector.topology.RedisMemoryStall;
import io.cachep.projector.topology.ReplicaShortfall;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.RedisEndpoint;
import io.cachep.projector.follow.InProcessFollower;
import io.cachep.projector.http.HttpEndpoints;
import io.cachep.projector.topology.ProjectionFailure;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.projector.topology.ProjectionTopology;
import io.cachep.projector.topology.RetryBudget;
import io.cachep.rules.ProjectionRule;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running projector: Redis connection, Kafka Streams, metrics and HTTP endpoints, wired by hand. {@code main}
 * and the tests both build it here, so the tests run the real thing.
 */
public final class ProjectorApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProjectorApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClientResources clientResources;
    private final RedisTarget redis;
    private final RedisHealth redisHealth;
    private final RedisMemoryStall memoryStall;
    private final ReplicaShortfall replicaShortfall;
    private final ProjectionMetrics metrics;
    private final KafkaStreams streams;
    private final HttpEndpoints http;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RetryingApplier applier;
    private final RedisApplier redisApplier;
    private final ApplyBatcher batcher;
    private final KafkaAccessDenied accessDenied;
    /** {@code projector.verify.follow}; null when off. */
    private final InProcessFollower follower;
    private KafkaStreamsMetrics streamsMetrics;

    private ProjectorApp(ProjectorConfig config, ProjectionRules rules) throws IOException {
        RedisEndpoint endpoint = config.redis();
        // Lettuce's own command latencies, per command type, next to cachep's metrics.
        clientResources = DefaultClientResources.builder()
                .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()))
                .build();
        replicaShortfall = new ReplicaShortfall(registry);
        try {
            redis = RedisTarget.connect(endpoint, clientResources, new ReplicaWait(config.redisWaitReplicas(),
                    config.redisWaitTimeout(), replicaShortfall));
        } catch (RuntimeException e) {
            clientResources.shutdown(); // an in-process caller is not left with Lettuce's threads
            throw e;
        }
        try {
            memoryStall = new RedisMemoryStall(registry);
            KeyLayout layout = new KeyLayout(rules.namespace());
            redisHealth = new RedisHealth(redis, registry, layout, memoryStall, replicaShortfall);
            redisHealth.checkServer(config.refuseUnsafeEviction());
            // Loads the Redis library now, so a user that may not load or call it is told at startup.
            redisApplier = new RedisApplier(redis, rules.tombstoneRetention(), layout);
        } catch (RuntimeException e) {
            // Nothing else is running yet: release Lettuce's threads so an in-process caller is not left with them.
            redis.close();
            clientResources.shutdown();
            throw e;
        }

        RuleEngine engine = new RuleEngine(rules);
        accessDenied = new KafkaAccessDenied(config.applicationId(), rules.topics(), config.dlqTopic());
        metrics = new ProjectionMetrics(registry, rules.rules().stream().collect(Collectors.groupingBy(
                ProjectionRule::type, TreeMap::new, Collectors.mapping(ProjectionRule::name, Collectors.joining(",")))));
        RetryBudget budget = RetryBudget.DEFAULT.withTotal(config.redisRetryBudget());
        // On a cluster a batch becomes one call per primary: let it hold batch.max.events per primary, so each call
        // carries about as many events as one server's does.
        int batchEvents = config.redisBatchMaxEvents() * (redis.cluster() ? Math.max(1, redis.shards().size()) : 1);
        batcher = new ApplyBatcher(redisApplier, batchEvents, config.redisBatchLinger());
        applier = new RetryingApplier(batcher, budget, memoryStall);
        InFlightRegistry inFlight = new InFlightRegistry(config.inflightMaxEvents(), config.inflightMaxBytes(), batcher::flush);
        EventSettler settler = new EventSettler(metrics, config.applicationId());
        Gauge.builder("cachep.inflight.events", inFlight, InFlightRegistry::inFlight)
                .description("Events whose Redis writes are sent and not yet acknowledged").register(registry);
        streams = new KafkaStreams(
                ProjectionTopology.build(engine, applier, metrics, inFlight, settler,
                        new ProcessingPolicy(config.maxEventBytes(), config.ignoreUnknownTypes()), config.dlqTopic()),
                StreamsProperties.of(config),
                // The barrier waits a little longer than one event's retry budget, so a failing event's own
                // failure, not the barrier's timeout, says what went wrong.
                new CommitBarrierClientSupplier(inFlight, settler, config.dlqTopic(), budget.total().plusSeconds(5)));
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        http = new HttpEndpoints(config.httpPort(), registry, this::readiness);
        follower = config.verifyFollow().enabled() ? new InProcessFollower(config, engine, clientResources) : null;
    }

    /** Connects to Redis (failing fast if it is unreachable or too old) and builds the app; {@link #start()} runs it. */
    public static ProjectorApp create(ProjectorConfig config, ProjectionRules rules) throws IOException {
        return new ProjectorApp(config, rules);
    }

    public void start() {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        redisHealth.start();
        http.start();
        streams.start();
        if (follower != null) {
            follower.start();
        }
        log.info("projector started; /metrics, /health and /ready on port {}", http.port());
    }

    /** Waits until Kafka Streams has stopped (after a fatal failure or {@link #close()}). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The failure that stopped the projector, if one did. */
    public Optional<Throwable> fatalFailure() {
        return Optional.ofNullable(fatal.get());
    }

    /** Tells {@code observer} of every batch of entry writes the projector sends to Redis (the demo measures with it). */
    public void observeRedisWrites(WriteObserver observer) {
        redisApplier.observeWrites(observer);
    }

    public ProjectionMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Leave the group on a clean stop: the other instances take the partitions over at once instead of after the
        // session timeout, and reset-group can run as soon as the last projector has stopped.
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        http.close();
        if (follower != null) {
            follower.close();
        }
        redisHealth.close();
        applier.close();
        batcher.close();
        redis.close();
        clientResources.shutdown();
        stopped.countDown();
    }

    private HttpEndpoints.Readiness readiness() {
        KafkaStreams.State state = streams.state();
        Optional<String> redisProblem = redisHealth.problem();
        if (redisProblem.isPresent()) {
            return new HttpEndpoints.Readiness(false, "DEGRADED: " + redisProblem.get());
        }
        if (state != KafkaStreams.State.RUNNING) {
            return new HttpEndpoints.Readiness(false, "NOT READY: Kafka Streams is " + state);
        }
        String warnings = redisHealth.warnings().isEmpty() ? "" : " (warning: " + String.join("; ", redisHealth.warnings()) + ")";
        return new HttpEndpoints.Readiness(true, "READY" + warnings);
    }

    private StreamThreadExceptionResponse onStreamThreadFailure(Throwable error) {
        Optional<String> denied = accessDenied.describe(error);
        if (denied.isPresent()) {
            // A missing ACL or a wrong password: the line says what to change; a stack trace would bury it.
            fatal.compareAndSet(null, new ProjectionFailure(ProjectionFailure.Kind.FATAL, denied.get(), error));
            log.error("projector stopping: {}", denied.get());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        ProjectionFailure failure = ProjectionFailure.find(error);
        if (failure != null && failure.kind() == ProjectionFailure.Kind.TRANSIENT) {
            log.warn("{}: {}", failure.getMessage(), String.valueOf(failure.getCause()));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        Throwable cause = failure != null ? failure : error;
        fatal.compareAndSet(null, cause);
        if (RedisPermissions.isPermissionError(cause)) {
            log.error("projector stopping: {}", cause.getMessage()); // a missing grant, not a bug: no stack trace
        } else {
            log.error("projector stopping: {}", cause.getMessage(), cause);
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
