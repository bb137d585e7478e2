package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.apply.WindowedApply;
import io.cachep.config.ProjectorConfig;
import io.cachep.dlqtool.verify.DivergenceTally;
import io.cachep.dlqtool.verify.EntryComparison;
import io.cachep.dlqtool.verify.FollowOptions;
import io.cachep.dlqtool.verify.ShareOptions;
import io.cachep.dlqtool.verify.StateOptions;
import io.cachep.dlqtool.verify.share.SharedVerify;
import io.cachep.log.LogReader;
import io.cachep.modelstore.DiskEntryStore;
import io.cachep.recovery.FollowLease;
import io.cachep.recovery.LogFollower;
import io.cachep.recovery.LogProjection;
import io.cachep.recovery.ModelState;
import io.cachep.recovery.StreamedRepair;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.rulesfile.RulesFileDigest;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool verify}: streams the whole log of the rules' topics once through the reference model, entry by entry
 * ({@link StreamedProjection}, its state on local disk behind a heap budget, so memory does not grow with the log), and
 * compares the result with the namespace in Redis. Exit 0 when equal, 3 when divergent. The result is recorded in
 * Redis ({@code <namespace>:~verify}) for the projector's {@code cachep_cache_divergence} gauge.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare a namespace in Redis with the reference projection of the log; list what diverges"
                + " (missing, extra, different type, value, members or expiry); --repair --execute fixes it through"
                + " the fenced path. Exit 0 when equal (after a repair: when repaired), 3 when divergent.")
final class VerifyCommand implements Callable<Integer> {
    static final int SHOWN = 20;

    @Mixin
    CommandContext context;

    @Option(names = "--namespace", paramLabel = "N",
            description = "The namespace to verify; must be the rules file's (default: the rules file's).")
    String namespace;

    @Mixin
    OutputOption output;

    @Option(names = "--repair", description = "Repair what diverges through the fenced path (with --execute; without it, say what would be repaired).")
    boolean repair;

    @Option(names = "--execute", description = "With --repair: really repair.")
    boolean execute;

    @Mixin
    StateOptions state;

    @Mixin
    FollowOptions following;

    @Mixin
    ShareOptions share;

    /** The follower while {@code --follow} runs, for {@link #stopFollowing}. */
    private volatile LogFollower follower;
    private final CountDownLatch followingEnded = new CountDownLatch(1);

    VerifyCommand() {
        this(System.getenv());
    }

    VerifyCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        ProjectorConfig config = context.config();
        ProjectionRules rules = context.rules();
        if (namespace != null && !namespace.equals(rules.namespace())) {
            throw context.usageError("--namespace " + namespace
                    + " is not the rules file's namespace (" + rules.namespace() + "): verify projects with those rules");
        }
        RuleEngine engine = new RuleEngine(rules);
        ObjectMapper json = new ObjectMapper();
        String builtWith = ModelState.builtWith(rules.namespace(), config.rulesFile());
        String shareProblem = share.problem(state, repair);
        if (shareProblem != null) {
            throw context.usageError(shareProblem);
        }
        if (share.run() != null && following.follow()) {
            throw context.usageError("--run and --follow do not go together: a shared verify is one pass over the log");
        }
        if (following.follow()) {
            return follow(config, engine, builtWith);
        }
        if (share.run() != null) {
            try (RedisTarget redis = context.openRedis()) {
                return new SharedVerify(share, engine, RulesFileDigest.of(config.rulesFile()),
                        config.kafkaClientProperties(), redis, err, context::usageError)
                        .run((records, entries, tally) -> {
                            if (output.json()) {
                                tally.sample().forEach(divergence -> printJson(out, json, divergence));
                                printJsonSummary(out, json, records, entries, tally);
                            } else {
                                print(out, records, entries, tally);
                            }
                        });
            }
        }
        try (LogReader reader = context.openLogReader();
             ModelState model = state.open(builtWith, err);
             RedisTarget redis = context.openRedis()) {
            DiskEntryStore store = model.store();
            store.clearFlags();
            Map<TopicPartition, Long> ends = reader.endOffsets(rules.topics());
            StreamedProjection projection = new StreamedProjection(engine, store);
            long records = LogProjection.read(reader, ends, projection, model, err);
            EntryComparison comparison = new EntryComparison(redis, engine.layout(), projection, err);
            DivergenceTally found = new DivergenceTally(SHOWN);
            boolean repairing = repair && execute;
            long entries = comparison.compare(Instant.now().toEpochMilli(), divergence -> {
                found.accept(divergence);
                if (repairing) {
                    store.flag(divergence.key());
                } else if (output.json()) {
                    printJson(out, json, divergence);
                }
            });
            DivergenceTally tally = found;
            if (repairing && found.total() > 0) {
                long repaired = new StreamedRepair(engine, redis, store, err).repair(reader, WindowedApply.RETRY_FOR);
                err.println("repaired " + repaired + " entries; verifying again");
                DivergenceTally after = new DivergenceTally(SHOWN);
                entries = comparison.compare(Instant.now().toEpochMilli(), divergence -> {
                    after.accept(divergence);
                    if (output.json()) {
                        printJson(out, json, divergence);
                    }
                });
                tally = after;
            } else if (repair && found.total() > 0) {
                err.println("dry run: " + found.total() + " entries would be repaired; add --execute");
            }
            VerificationRecord.write(redis.sync(), engine.layout(), entries, tally.byKind());
            if (output.json()) {
                printJsonSummary(out, json, records, entries, tally);
            } else {
                print(out, records, entries, tally);
            }
            return tally.total() == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    /**
     * {@code --follow}: runs until Ctrl-C or SIGTERM (a shutdown hook stops the follower and waits for it to close
     * cleanly, checkpointing a kept state) or {@link #stopFollowing}.
     */
    private int follow(ProjectorConfig config, RuleEngine engine, String builtWith) throws Exception {
        PrintWriter err = context.err();
        Thread hook = new Thread(this::stopFollowing, "cachep-verify-follow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LogReader reader = context.openLogReader();
             ModelState model = state.open(builtWith, err);
             RedisTarget redis = context.openRedis();
             Admin admin = context.openAdmin()) {
            model.store().clearFlags();
            follower = new LogFollower(engine, redis, reader, admin, config.applicationId(), model, repair && execute,
                    following.sweepRate(), new FollowReport(context.out(), output.json()), err,
                    FollowLease.describe("dlq-tool verify --follow"));
            if (repair && !execute) {
                err.println("dry run: divergences are reported, not repaired; add --execute to repair them");
            }
            long divergent = follower.run();
            err.println("stopped following: " + divergent + " entries divergent");
            return divergent == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        } finally {
            followingEnded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is what stopped us
            }
        }
    }

    /** Stops a {@code --follow} run and waits (up to 30 s) for it to close. */
    void stopFollowing() {
        LogFollower running = follower;
        if (running != null) {
            running.stop();
            try {
                followingEnded.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code -o json}'s last line, after one line per divergence: the table's summary for scripts, told apart from a
     * divergence by its one field, {@code summary}.
     */
    private static void printJsonSummary(PrintWriter out, ObjectMapper json, long records, long entries,
                                         DivergenceTally tally) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("result", tally.total() == 0 ? "EQUAL" : "DIVERGENT");
        summary.put("records", records);
        summary.put("entries", entries);
        summary.put("divergent", tally.total());
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            summary.put(kind.name().toLowerCase(), tally.count(kind));
        }
        printLine(out, json, Map.of("summary", summary));
    }

    private static void printJson(PrintWriter out, ObjectMapper json, Divergence d) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", d.kind().name());
        line.put("key", d.key());
        line.put("expected", d.expected() == null ? null : describe(d.expected()));
        line.put("actual", d.actual() == null ? null : describe(d.actual()));
        printLine(out, json, line);
    }

    /** One JSON Lines line (maps and strings only: nothing Jackson could fail to write). */
    private static void printLine(PrintWriter out, ObjectMapper json, Object line) {
        try {
            out.println(json.writeValueAsString(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void print(PrintWriter out, long records, long entries, DivergenceTally tally) {
        List<Divergence> shown = tally.sample();
        if (!shown.isEmpty()) {
            TextTable table = new TextTable("divergence", "key", "expected", "actual");
            shown.forEach(d -> table.row(d.kind(), d.key(),
                    d.expected() == null ? "-" : describe(d.expected()), d.actual() == null ? "-" : describe(d.actual())));
            out.print(table.render());
            if (tally.total() > SHOWN) {
                out.printf("... and %d more (-o json lists all)%n", tally.total() - SHOWN);
            }
            out.println();
        }
        TextTable summary = new TextTable("verify", "count");
        summary.row("log records read", records);
        summary.row("entries the log implies", entries);
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            summary.row(kind.name().toLowerCase().replace('_', ' '), tally.count(kind));
        }
        out.print(summary.render());
        out.println(tally.total() == 0 ? "EQUAL: Redis holds exactly what the log implies"
                : "DIVERGENT: " + tally.total() + " entries differ from the log");
    }

    static String describe(EntrySnapshot entry) {
        String value = String.valueOf(entry.value());
        if (value.length() > 60) {
            value = value.substring(0, 57) + "...";
        }
        return entry.type().name().toLowerCase() + " " + value
                + (entry.expireAtMillis() == null ? "" : " expires " + Instant.ofEpochMilli(entry.expireAtMillis()));
    }
}
