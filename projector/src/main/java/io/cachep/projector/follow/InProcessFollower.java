package io.cachep.projector.follow;

import io.cachep.apply.RedisPermissions;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.ReplicaWait;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.ProjectorConfig.FollowSettings;
import io.cachep.log.LogReader;
import io.cachep.recovery.FollowLease;
import io.cachep.recovery.LogFollower;
import io.cachep.recovery.ModelState;
import io.cachep.rules.RuleEngine;
import io.lettuce.core.resource.ClientResources;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code projector.verify.follow}: the follower of {@code dlq-tool verify --follow} ({@link LogFollower}) on a thread
 * of the projector, with its own Kafka clients and Redis connection, so its reads never wait behind the projector's
 * writes or hold up its commits. What it finds goes to the projector's log ({@link DivergenceLog}) and, through the
 * namespace's verify record, to {@code cachep_cache_divergence}. It never stops the projector: a follower that fails
 * for good (a missing grant, say) is logged and started again a minute later.
 */
public final class InProcessFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InProcessFollower.class);
    static final Duration RESTART_AFTER = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ProjectorConfig config;
    private final FollowSettings settings;
    private final RuleEngine engine;
    private final ClientResources resources;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread = new Thread(this::followUntilClosed, "cachep-verify-follower");
    private volatile LogFollower current;

    public InProcessFollower(ProjectorConfig config, RuleEngine engine, ClientResources resources) {
        this.config = config;
        this.settings = config.verifyFollow();
        this.engine = engine;
        this.resources = resources;
        thread.setDaemon(true); // a follower still reading the log at exit does not hold the JVM up
    }

    public void start() {
        log.info("following the log in-process (projector.verify.follow): repair {}, sweeping {} entries a second",
                settings.repair() ? "on" : "off", settings.sweepRate());
        thread.start();
    }

    private void followUntilClosed() {
        while (closing.getCount() > 0) {
            try {
                followOnce();
            } catch (Exception e) {
                if (closing.getCount() == 0) {
                    break;
                }
                Optional<String> denied = RedisPermissions.explain(e);
                if (denied.isPresent()) { // a missing grant, not a bug: what to grant, no stack trace
                    log.error("the in-process follower (projector.verify.follow) stopped: {}; starting it again in {} s",
                            denied.get(), RESTART_AFTER.toSeconds());
                } else {
                    log.error("the in-process follower (projector.verify.follow) stopped: {}; starting it again in {} s",
                            e.getMessage(), RESTART_AFTER.toSeconds(), e);
                }
            }
            try {
                closing.await(RESTART_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void followOnce() throws Exception {
        PrintWriter lines = new PrintWriter(new LogLines(log), true);
        String builtWith = ModelState.builtWith(engine.rules().namespace(), config.rulesFile());
        try (LogReader reader = new LogReader(config.kafkaClientProperties());
             Admin admin = Admin.create(config.kafkaClientProperties());
             RedisTarget redis = RedisTarget.connect(config.redis(), resources, new ReplicaWait(
                     config.redisWaitReplicas(), config.redisWaitTimeout(), ReplicaWait.Listener.IGNORE));
             ModelState model = ModelState.open(settings.stateDir(), settings.stateHeapBytes(), builtWith, lines)) {
            model.store().clearFlags();
            LogFollower follower = new LogFollower(engine, redis, reader, admin, config.applicationId(), model,
                    settings.repair(), settings.sweepRate(), new DivergenceLog(log), lines,
                    FollowLease.describe("projector " + config.applicationId()));
            current = follower;
            if (closing.getCount() > 0) {
                long divergent = follower.run();
                log.info("stopped following: {} entries divergent", divergent);
            }
        } finally {
            current = null;
        }
    }

    /** Stops the follower after its pass under way and waits for it (a while) to give up its lease and close. */
    @Override
    public void close() {
        closing.countDown();
        LogFollower running = current;
        if (running != null) {
            running.stop();
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("the in-process follower did not stop within {} s (still reading the log?); leaving it",
                    CLOSE_TIMEOUT.toSeconds());
        }
    }
}
