package io.cachep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run 9, recovery at log scale: {@code dlq-tool verify} and {@code rebuild --execute} as an operator runs them, each a
 * JVM of its own with {@code -Xmx256m} ({@code CACHEP_JAVA_OPTS}), on a log that grows to each size in turn; for each
 * command its rate over the log, its wall time, the most heap G1 held after a collection ({@code -Xlog:gc}) and the
 * most it really kept (live objects, sampled every 10 s): flat as the log grows, or the memory grows with the log.
 */
final class RecoveryRun {
    /** The heap every command gets: the bound. */
    static final String HEAP = "-Xmx256m";
    /** The collector {@code bin/dlq-tool} runs with unless told otherwise (its {@code CACHEP_DEFAULT_GC}). */
    static final String LAUNCHER_GC = "-XX:+UseParallelGC";
    private static final Pattern PHASE_END = Pattern.compile("^(.+): ([0-9,]+)(?:/[0-9,]+)?, ([0-9,]+)/s in ([0-9.]+)s$");
    private static final Pattern AFTER_GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Duration SAMPLE_LIVE_EVERY = Duration.ofSeconds(10);

    /** One command on one size of log: how it ended, how long, its phases' rates, its peak heap after a collection. */
    record Command(String name, int exit, double seconds, List<Phase> phases, long peakHeapAfterGcMegabytes,
                   long peakLiveMegabytes, @com.fasterxml.jackson.annotation.JsonIgnore List<String> output) {
        /** The phase whose name starts so, or null. */
        Phase phase(String prefix) {
            return phases.stream().filter(p -> p.name().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    /** A phase as the command's progress reported it when it ended. */
    record Phase(String name, long done, double perSecond, double seconds) {}

    /** The commands run on the log at one size. */
    record Step(long records, List<Command> commands) {}

    private final Map<String, String> environment;
    private final Path workDir;

    /** @param environment the {@code PROJECTOR_*} variables naming the devstack, the rules file and the namespace */
    RecoveryRun(Map<String, String> environment, Path workDir) {
        this.environment = environment;
        this.workDir = workDir;
    }

    /** {@code verify}, {@code rebuild --execute}, then {@code verify} again (Redis now rebuilt: it must be equal). */
    Step measure(long records, String namespace) throws Exception {
        List<Command> commands = new ArrayList<>();
        commands.add(run("verify", "verify"));
        commands.add(run("rebuild", "rebuild", "--namespace", namespace, "--execute"));
        commands.add(run("verify after rebuild", "verify"));
        return new Step(records, commands);
    }

    private Command run(String name, String... args) throws Exception {
        return await(start(name, args));
    }

    /** A command started, not yet ended: its process, output, GC log and live-heap sampler. */
    record Started(String name, String[] args, Process process, Path output, Path gcLog, LiveHeapSampler live,
                   long startedNanos) {}

    /** Starts {@code dlq-tool ARGS} in a JVM of its own ({@link #HEAP}), its output and GC log in the work directory. */
    Started start(String name, String... args) throws Exception {
        Path gcLog = workDir.resolve("gc-" + System.nanoTime() + ".log");
        Path output = workDir.resolve("dlq-tool-" + System.nanoTime() + ".log");
        ProcessBuilder builder = dlqTool(environment, List.of("-Xlog:gc:file=" + gcLog), args)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        long started = System.nanoTime();
        Process process = builder.start();
        return new Started(name, args, process, output, gcLog, LiveHeapSampler.start(process.pid(), SAMPLE_LIVE_EVERY),
                started);
    }

    /**
     * {@code bin/dlq-tool ARGS} as an operator runs it with {@code CACHEP_JAVA_OPTS=}{@link #HEAP} (and the launcher's
     * collector, {@link #LAUNCHER_GC}): the bench's classes
     * (dlq-tool among them) in a JVM of its own, with {@code environment}'s {@code PROJECTOR_*} settings.
     */
    static ProcessBuilder dlqTool(Map<String, String> environment, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), HEAP,
                LAUNCHER_GC));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dlogback.configurationFile=io/cachep/dlqtool/logback.xml", "io.cachep.dlqtool.DlqToolMain"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(environment);
        return builder;
    }

    /** Waits for a started command (2 hours at most) and reads what it printed. */
    Command await(Started started) throws Exception {
        Process process = started.process();
        boolean ended = process.waitFor(2, TimeUnit.HOURS);
        started.live().stop();
        String[] args = started.args();
        if (!ended) {
            process.destroyForcibly();
            throw new IllegalStateException("dlq-tool " + String.join(" ", args) + " ran over 2 hours; its output: "
                    + started.output());
        }
        double seconds = (System.nanoTime() - started.startedNanos()) / 1e9;
        List<String> lines = Files.readAllLines(started.output());
        if (process.exitValue() != 0 && process.exitValue() != 3) {
            // A failed command is a figure too (the report shows its exit): the runs at other sizes still count.
            System.err.println("dlq-tool " + String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
        }
        return new Command(started.name(), process.exitValue(), seconds, phases(lines), peakAfterGc(started.gcLog()),
                started.live().peakMegabytes(), lines);
    }

    /** The last line each progress bar printed (its total, rate and time). */
    static List<Phase> phases(List<String> lines) {
        List<Phase> phases = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PHASE_END.matcher(line.strip());
            if (m.matches()) {
                phases.add(new Phase(m.group(1), number(m.group(2)), number(m.group(3)), Double.parseDouble(m.group(4))));
            }
        }
        return phases;
    }

    /**
     * The most heap in use right after any collection, MiB: what the collector let the heap fill to. Young collections leave old
     * garbage in place until a marking cycle has run, so this overstates what the command keeps; the sampled live heap
     * ({@link LiveHeapSampler}) is the figure for that.
     */
    static long peakAfterGc(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = AFTER_GC.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(2)));
            }
        }
        return peak;
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }

    static Duration total(List<Command> commands) {
        return Duration.ofMillis((long) (commands.stream().mapToDouble(Command::seconds).sum() * 1000));
    }
}
