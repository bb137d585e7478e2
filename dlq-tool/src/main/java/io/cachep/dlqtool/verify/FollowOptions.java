package io.cachep.dlqtool.verify;

import picocli.CommandLine.Option;

/** verify's options for running as a follower of the log ({@link LogFollower}). */
public final class FollowOptions {
    @Option(names = "--follow",
            description = "Keep running: follow the log, compare each entry it changes once the projector has committed"
                    + " the change, and sweep the other entries in the background; report each divergence once, when"
                    + " it appears and when it ends (with --repair --execute: repair it). Runs until Ctrl-C or SIGTERM;"
                    + " its last line says how many entries are divergent then.")
    boolean follow;

    @Option(names = "--sweep-rate", paramLabel = "N", defaultValue = "1000",
            description = "With --follow: entries a second the background sweep compares (default: ${DEFAULT-VALUE});"
                    + " when Redis looks flushed it sweeps at full speed until round once.")
    int sweepRate;

    public boolean follow() {
        return follow;
    }

    public int sweepRate() {
        return sweepRate;
    }
}
