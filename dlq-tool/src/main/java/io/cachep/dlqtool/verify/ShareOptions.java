package io.cachep.dlqtool.verify;

import picocli.CommandLine.Option;

/**
 * How {@code verify} splits its work over several processes, as a picocli mixin: every process given the same
 * {@code --run} joins the same run (one Kafka Streams application), owns a share of the entries and helps make one
 * combined result.
 */
public final class ShareOptions {
    /** Shares when the first process of a run does not say: enough for a few machines, cheap on one. */
    public static final int DEFAULT_SHARES = 8;
    /** At most this many shares: each is a partition of the run's internal topics and a store. */
    public static final int MAX_SHARES = 1024;

    @Option(names = "--run", paramLabel = "ID",
            description = "Share this verify with every process started with the same ID (on any machine): each owns a"
                    + " share of the entries and all print the one combined result. The first process fixes the run's"
                    + " log range and number of shares; with -o json each share's first 20 divergences are listed."
                    + " Letters, digits, '.', '_' and '-'.")
    String run;

    @Option(names = "--shares", paramLabel = "N",
            description = "With --run: into how many shares the entries are split (at most that many processes work;"
                    + " default " + DEFAULT_SHARES + "). Fixed by the run's first process.")
    Integer shares;

    /** The run to join, or null for a verify in this process alone. */
    public String run() {
        return run;
    }

    /** The shares asked for, or null when not given. */
    public Integer shares() {
        return shares;
    }

    /** A usage problem with these options (alone, with a kept state or a repair), or null when there is none. */
    public String problem(StateOptions state, boolean repair) {
        if (run == null) {
            return shares == null ? null : "--shares needs --run";
        }
        if (!run.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            return "--run must be letters, digits, '.', '_' or '-' (at most 100), was '" + run + "'";
        }
        if (shares != null && (shares < 1 || shares > MAX_SHARES)) {
            return "--shares must be between 1 and " + MAX_SHARES + ", was " + shares;
        }
        if (repair) {
            return "--run with --repair is not supported yet: verify --run, then verify --repair in one process";
        }
        if (state.directory != null) {
            return "--run with --state-dir is not supported yet: a shared run keeps its state in Kafka Streams stores";
        }
        return null;
    }
}
