package io.cachep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run 11, a verify shared by processes ({@code verify --run}): on a log Redis already equals (rebuilt first), the plain
 * {@code verify}, then {@code verify --run} in one process, then in two processes started together, each a JVM of its
 * own with {@link RecoveryRun#HEAP}. For each process: its wall time, exit, which shares it compared and how many
 * records it split and mutations it folded (its part of the state). On one machine the two processes share its cores,
 * so this shows what sharing costs, not what two machines gain.
 */
final class ShareRun {
    private static final Pattern PART = Pattern.compile(
            "this process compared shares (\\[[^]]*]) of (\\d+); it split ([\\d,]+) records \\(([\\d,]+) poison\\) and folded ([\\d,]+)");

    /** One process of a shared run: what it did. */
    record Part(String shares, long recordsSplit, long mutationsFolded) {}

    /** A command and, for a shared run, its part. */
    record Process(RecoveryRun.Command command, Part part) {}

    record Result(long records, Process plain, Process alone, List<Process> pair, double pairWallSeconds) {
        boolean allEqual() {
            return plain.command().exit() == 0 && alone.command().exit() == 0
                    && pair.stream().allMatch(p -> p.command().exit() == 0);
        }
    }

    private ShareRun() {}

    static Result measure(RecoveryRun commands, long records) throws Exception {
        Process plain = new Process(commands.await(commands.start("verify", "verify")), null);
        Process alone = of(commands.await(commands.start("verify --run, 1 process", "verify", "--run", "bench-alone")));
        long started = System.nanoTime();
        RecoveryRun.Started first = commands.start("verify --run, process 1 of 2", "verify", "--run", "bench-pair");
        RecoveryRun.Started second = commands.start("verify --run, process 2 of 2", "verify", "--run", "bench-pair");
        List<Process> pair = new ArrayList<>(List.of(of(commands.await(first)), of(commands.await(second))));
        double pairWall = (System.nanoTime() - started) / 1e9;
        return new Result(records, plain, alone, pair, pairWall);
    }

    private static Process of(RecoveryRun.Command command) {
        Part part = null;
        for (String line : command.output()) {
            Matcher m = PART.matcher(line);
            if (m.find()) {
                part = new Part(m.group(1), number(m.group(3)), number(m.group(5)));
            }
        }
        return new Process(command, part);
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
