package io.cachep.projector;

import io.cachep.apply.RedisAdvice;
import io.cachep.config.InvalidConfigurationException;
import io.cachep.errors.Causes;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.cli.ConfigOptions;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.InvalidRulesException;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.lettuce.core.RedisException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/projector}: validates the configuration and the rules, then runs the projector until it is stopped
 * (SIGTERM or Ctrl-C: exit 0) or fails (exit 1). A bad configuration or rules file lists every problem and exits 2
 * before anything touches Kafka or Redis.
 */
@Command(name = "projector", mixinStandardHelpOptions = true, versionProvider = io.cachep.cli.Versions.class,
        description = "Projects Kafka events into Redis, version-fenced, as the rules file says.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped on request", "1:failed (the log says why)", "2:bad configuration or rules file"})
public final class ProjectorMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ProjectorMain.class);
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--apply-topics",
            description = "Before starting, create the missing topics of projector.topics.dir and report drift.")
    boolean applyTopics;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    public ProjectorMain() {
        this(System.getenv());
    }

    ProjectorMain(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProjectorMain()).execute(args));
    }

    /**
     * SIGTERM or Ctrl-C: a clean stop (Kafka Streams closes, which runs the commit barrier one last time), then exit 0
     * as documented, rather than the JVM's 143; a failed close exits 1. Log output is flushed first.
     */
    private static void stopOnSignal(ProjectorApp app) {
        int status = EXIT_OK;
        try {
            app.close();
            log.info("projector stopped");
        } catch (RuntimeException e) {
            log.error("projector did not stop cleanly: {}", e.toString());
            status = EXIT_FAILED;
        }
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
        Runtime.getRuntime().halt(status);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ProjectorConfig config;
        ProjectionRules rules;
        try {
            config = configOptions.load(environment);
            rules = RulesFileLoader.load(config.rulesFile());
        } catch (InvalidConfigurationException | InvalidRulesException e) {
            err.println(e.getMessage());
            err.flush();
            return EXIT_CONFIG;
        }
        if (config.jsonLogs()) {
            LogFormat.useJson();
        }
        config.warnings().forEach(w -> log.warn(w));
        log.info("effective configuration: {}", config.redacted());
        if (applyTopics) {
            TopicSetup.applyDirectory(config.kafkaClientProperties(), config.topicsDir())
                    .forEach(change -> log.info("topic {}", change));
        }
        ProjectorApp created;
        try {
            created = ProjectorApp.create(config, rules);
        } catch (RedisException | IllegalStateException e) {
            // Unreachable, refusing our credentials (NOAUTH, WRONGPASS) or a command (NOPERM), too old, or an unsafe
            // eviction policy.
            // One line, no stack trace: none of these is a bug, and each message says what to fix.
            err.println("projector failed: cannot use Redis at " + config.redis().redactedUri() + ": "
                    + RedisAdvice.explain(e).orElseGet(() -> causes(e)));
            err.flush();
            return EXIT_FAILED;
        }
        Thread onSignal = new Thread(() -> stopOnSignal(created), "projector-shutdown");
        try (ProjectorApp app = created) {
            Runtime.getRuntime().addShutdownHook(onSignal);
            app.start();
            while (!app.awaitStopped(Duration.ofSeconds(1))) {
                // wait for a signal or a fatal failure
            }
            if (app.fatalFailure().isPresent()) {
                err.println("projector failed: " + app.fatalFailure().get().getMessage());
                err.flush();
                return EXIT_FAILED;
            }
            return EXIT_OK;
        } finally {
            withdraw(onSignal);
        }
    }

    /**
     * Stopped by a fatal failure rather than a signal, main's {@code System.exit} must set the exit code: left in
     * place, the hook would halt the JVM with 0 first. While the JVM is already shutting down (a signal), the hook
     * is running and decides.
     */
    private static void withdraw(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // a signal stops the projector: stopOnSignal sets the exit code
        }
    }

    /**
     * The messages down a cause chain, outermost first: Lettuce's "Unable to connect to host:port" says where, the
     * cause underneath says why ("WRONGPASS ...", "Connection refused"). Redis's and Lettuce's messages name the
     * server and the problem, never the password.
     */
    static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        String last = null;
        for (Throwable e : Causes.of(error)) {
            String message = e.getMessage() == null ? null : e.getMessage().strip();
            if (message == null || message.isEmpty() || (last != null && last.contains(message))) {
                continue;
            }
            text.append(text.isEmpty() ? "" : ": ").append(message);
            last = message;
        }
        // One line, whatever a message holds.
        return text.isEmpty() ? error.getClass().getSimpleName() : text.toString().replaceAll("\\s*\\R\\s*", " ");
    }
}
