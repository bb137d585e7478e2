package io.cachep.dlqtool;

import io.cachep.apply.RedisTarget;
import io.cachep.apply.ReplicaWait;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.cli.ConfigOptions;
import io.cachep.log.LogReader;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every dlq-tool command starts from, as a picocli mixin: the projector's configuration flags ({@link ConfigOptions})
 * read against the environment the command was built with, the command line's out and err writers, and the clients of
 * the deployment the configuration points at. The configuration and the rules file are loaded once, when first asked
 * for; a bad one ends the command with exit 2 and every problem listed (the error handler's doing).
 *
 * <p>A command builds its context in its constructor, {@code context = new CommandContext(environment)}, so tests can
 * hand it an environment: picocli uses a {@code @Mixin} field's instance when it is already set, and creates one only
 * when the field is null.
 */
public final class CommandContext {
    @Mixin
    ConfigOptions configOptions;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private final Map<String, String> environment;
    private ProjectorConfig config;
    private ProjectionRules rules;

    /** For picocli when a command leaves its field null: the process's environment. */
    public CommandContext() {
        this(System.getenv());
    }

    /** @param environment where {@code PROJECTOR_*} variables are read (precedence: file < environment < flags) */
    public CommandContext(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Standard output: the data the command prints. */
    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error: progress, notes, warnings. */
    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public CommandLine commandLine() {
        return spec.commandLine();
    }

    /** The effective configuration: defaults < --config file < environment < flags. Loaded on first use. */
    public ProjectorConfig config() {
        if (config == null) {
            config = configOptions.load(environment);
        }
        return config;
    }

    /** The rules file the configuration names. Loaded on first use. */
    public ProjectionRules rules() {
        if (rules == null) {
            rules = RulesFileLoader.load(config().rulesFile());
        }
        return rules;
    }

    /** A usage error (exit 2): the message, then where the command's options are described. Throw it. */
    public CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A reader of the log with the configured Kafka client properties; the caller closes it. */
    public LogReader openLogReader() {
        return new LogReader(config().kafkaClientProperties());
    }

    /** A Kafka Admin client with the configured client properties; the caller closes it. */
    public Admin openAdmin() {
        return Admin.create(config().kafkaClientProperties());
    }

    /**
     * The Redis the projector writes, with the projector's own Redis options; the caller closes it. A single server, or
     * a Redis Cluster when {@code projector.redis.cluster} is set (every command then keeps each call within one slot,
     * and scans visit every primary). Writes wait for {@code projector.redis.wait.replicas} replicas as the projector's
     * do; a shard short of them fails the command with a message naming it.
     */
    public RedisTarget openRedis() {
        ProjectorConfig config = config();
        return RedisTarget.connect(config.redis(), null, new ReplicaWait(config.redisWaitReplicas(),
                config.redisWaitTimeout(), ReplicaWait.Listener.IGNORE));
    }
}
