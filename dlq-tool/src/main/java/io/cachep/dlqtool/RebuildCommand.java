package io.cachep.dlqtool;

import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.ShadowPromoter;
import io.cachep.config.ProjectorConfig;
import io.cachep.dlqtool.rebuild.LogHistory;
import io.cachep.dlqtool.rebuild.Rebuild;
import io.cachep.dlqtool.rebuild.RebuildCheckpoint;
import io.cachep.dlqtool.rebuild.RebuildLease;
import io.cachep.dlqtool.rebuild.ShadowBuild;
import io.cachep.dlqtool.rebuild.ShadowPromotion;
import io.cachep.dlqtool.verify.DivergenceTally;
import io.cachep.dlqtool.verify.EntryComparison;
import io.cachep.dlqtool.verify.StateOptions;
import io.cachep.log.LogReader;
import io.cachep.recovery.LogProjection;
import io.cachep.recovery.ModelState;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.rulesfile.RulesFileDigest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool rebuild}: reconstructs a namespace from the log under the current rules file, beside the running
 * projector. It builds the namespace in a shadow ({@code <namespace>:~rebuild:...}) through the projector's fenced
 * apply, switches entry by entry with a fenced promote that never regresses what readers see, drops the live entries
 * the log does not imply, and removes the shadow. A checkpoint beside the shadow makes a killed run resumable. Refuses
 * when the log no longer holds the full history, unless {@code --allow-partial-history}. A dry run unless
 * {@code --execute}. docs/architecture.md ("Rebuild") has the design.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Reconstruct a namespace from the log under the current rules, while the projector keeps running:"
                + " build it beside in a shadow namespace, promote entry by entry through a fence that never regresses"
                + " what readers see, then drop what the log does not imply. Dry run unless --execute; a killed run"
                + " resumes. Exit 0 done, 1 failed or refused, 2 usage, 3 done from partial history.")
final class RebuildCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @Mixin
    StateOptions state;

    @Option(names = "--namespace", required = true, paramLabel = "N",
            description = "The namespace to rebuild; must be the rules file's (said out loud, so the wrong one is never rebuilt).")
    String namespace;

    @Option(names = "--execute", description = "Really rebuild; without it, show what would change.")
    boolean execute;

    @Option(names = "--allow-partial-history",
            description = "Rebuild even though the log no longer holds the full history (retention or deleteRecords"
                    + " removed its start, or a compacted topic feeds rules that need every event); exit 3.")
    boolean allowPartialHistory;

    @Option(names = "--restart", description = "With --execute: discard an interrupted rebuild and start from the beginning"
            + " of the log instead of resuming it.")
    boolean restart;

    @Mixin
    OutputOption output;

    /** Runs after each saved checkpoint; tests interrupt a rebuild there. */
    Runnable afterCheckpoint = () -> {};

    RebuildCommand() {
        this(System.getenv());
    }

    RebuildCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = context.err();
        ProjectorConfig config = context.config();
        ProjectionRules rules = context.rules();
        if (!namespace.equals(rules.namespace())) {
            throw context.usageError("--namespace " + namespace
                    + " is not the rules file's namespace (" + rules.namespace() + "): rebuild projects with those rules");
        }
        RuleEngine engine = new RuleEngine(rules);
        KeyLayout live = engine.layout();
        RebuildReport report = new RebuildReport(context.out(), output.format(), namespace);
        try (Admin admin = context.openAdmin();
             LogReader reader = context.openLogReader()) {
            Map<TopicPartition, Long> ends = reader.endOffsets(rules.topics());
            LogHistory history = LogHistory.of(admin, rules, reader.beginningOffsets(ends.keySet()), ends);
            history.notes().forEach(note -> err.println("note: " + note));
            history.problems().forEach(problem -> err.println((allowPartialHistory ? "warning: " : "refusing: ") + problem));
            if (history.partial() && !allowPartialHistory) {
                err.println("refusing to rebuild " + namespace + " from partial history: its entries would miss the lost"
                        + " events; --allow-partial-history rebuilds from what is left (exit 3)");
                report.refused(history);
                return ExitCodes.FAILED;
            }
            try (RedisTarget redis = context.openRedis()) {
                if (!execute) {
                    Optional<RebuildCheckpoint> interrupted = RebuildCheckpoint.load(redis.sync(), live.shadow());
                    String builtWith = ModelState.builtWith(rules.namespace(), config.rulesFile());
                    try (ModelState model = state.open(builtWith, err)) {
                        StreamedProjection projection = new StreamedProjection(engine, model.store());
                        long records = LogProjection.read(reader, ends, projection, model, err);
                        DivergenceTally tally = new DivergenceTally(RebuildReport.SAMPLE);
                        long entries = new EntryComparison(redis, live, projection, err)
                                .compare(Instant.now().toEpochMilli(), tally);
                        report.dryRun(history, records, entries, tally, interrupted, restart);
                    }
                } else {
                    rebuild(config, rules, live, reader, redis, err, report, history);
                }
            }
            return history.partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    private void rebuild(ProjectorConfig config, ProjectionRules rules, KeyLayout live, LogReader reader,
                         RedisTarget redis, PrintWriter err, RebuildReport report,
                         LogHistory history) throws Exception {
        KeyLayout shadow = live.shadow();
        try (RebuildLease lease = RebuildLease.acquire(redis.sync(), shadow)) {
            RebuildCheckpoint checkpoint = Rebuild.resumeOrStart(redis, shadow,
                    RulesFileDigest.of(config.rulesFile()), restart, err);
            // On a Redis Cluster both keep every call to one slot: the applier splits batches by slot and registers
            // tags in per-slot shards; the promoter carries tags shard by shard.
            ShadowBuild build = new ShadowBuild(reader, new RuleEngine(rules, shadow),
                    new RedisApplier(redis, rules.tombstoneRetention(), shadow), rules.topics(),
                    checkpoint.positions(), checkpoint.counts(), err);
            ShadowPromotion promotion = new ShadowPromotion(redis,
                    new ShadowPromoter(redis, rules.tombstoneRetention(), live), live, build, checkpoint.counts());
            new Rebuild(build, promotion, checkpoint, lease, redis, shadow, err, afterCheckpoint).run();
            report.rebuilt(history, checkpoint);
        }
    }
}
