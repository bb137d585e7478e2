package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.cli.OutputFormat;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.cli.ConfigOptions;
import io.cachep.log.LogReader;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlq-tool verify}: reads the whole log of the rules' topics, projects it with the reference model, and
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
    ConfigOptions configOptions;

    @Option(names = "--namespace", paramLabel = "N",
            description = "The namespace to verify; must be the rules file's (default: the rules file's).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json lines (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--repair", description = "Repair what diverges through the fenced path (with --execute; without it, say what would be repaired).")
    boolean repair;

    @Option(names = "--execute", description = "With --repair: really repair.")
    boolean execute;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    VerifyCommand() {
        this(System.getenv());
    }

    VerifyCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProjectorConfig config = configOptions.load(environment);
        ProjectionRules rules = RulesFileLoader.load(config.rulesFile());
        if (namespace != null && !namespace.equals(rules.namespace())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--namespace " + namespace
                    + " is not the rules file's namespace (" + rules.namespace() + "): verify projects with those rules");
        }
        RuleEngine engine = new RuleEngine(rules);

        LogModel.Projected projected;
        try (LogReader reader = new LogReader(config.kafkaClientProperties())) {
            projected = LogModel.read(reader, reader.endOffsets(rules.topics()), engine, err);
        }
        List<LoggedEvent> log = projected.log();
        long records = projected.records();
        Map<String, EntrySnapshot> expected = projected.expected();
        List<Divergence> divergences;
        // On a Redis Cluster, each read scans every primary as the topology is now.
        try (RedisTarget redis = Connections.redis(config)) {
            Map<String, EntrySnapshot> actual = RedisSnapshots.read(redis, engine.layout());
            divergences = Divergence.between(expected, actual);
            if (repair && execute && !divergences.isEmpty()) {
                int repaired = new Repair(engine, redis).repair(divergences, log);
                err.println("repaired " + repaired + " entries; verifying again");
                divergences = Divergence.between(expected, RedisSnapshots.read(redis, engine.layout()));
            } else if (repair && !divergences.isEmpty()) {
                err.println("dry run: " + divergences.size() + " entries would be repaired; add --execute");
            }
            VerificationRecord.write(redis.sync(), engine.layout(), expected.size(), divergences);
        }
        print(out, records, expected.size(), divergences);
        return divergences.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private void print(PrintWriter out, long records, int entries, List<Divergence> divergences) throws Exception {
        Map<Divergence.Kind, Integer> byKind = new EnumMap<>(Divergence.Kind.class);
        divergences.forEach(d -> byKind.merge(d.kind(), 1, Integer::sum));
        if (output == OutputFormat.json) {
            ObjectMapper json = new ObjectMapper();
            for (Divergence d : divergences) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("kind", d.kind().name());
                line.put("key", d.key());
                line.put("expected", d.expected() == null ? null : describe(d.expected()));
                line.put("actual", d.actual() == null ? null : describe(d.actual()));
                out.println(json.writeValueAsString(line));
            }
            return;
        }
        if (!divergences.isEmpty()) {
            TextTable table = new TextTable("divergence", "key", "expected", "actual");
            divergences.stream().limit(SHOWN).forEach(d -> table.row(d.kind(), d.key(),
                    d.expected() == null ? "-" : describe(d.expected()), d.actual() == null ? "-" : describe(d.actual())));
            out.print(table.render());
            if (divergences.size() > SHOWN) {
                out.printf("... and %d more (-o json lists all)%n", divergences.size() - SHOWN);
            }
            out.println();
        }
        TextTable summary = new TextTable("verify", "count");
        summary.row("log records read", records);
        summary.row("entries the log implies", entries);
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            summary.row(kind.name().toLowerCase().replace('_', ' '), byKind.getOrDefault(kind, 0));
        }
        out.print(summary.render());
        out.println(divergences.isEmpty() ? "EQUAL: Redis holds exactly what the log implies"
                : "DIVERGENT: " + divergences.size() + " entries differ from the log");
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
