package io.cachep.text;

import java.io.PrintWriter;

/**
 * Progress of long work on stderr: on a terminal, one bar redrawn in place with count, rate and ETA; otherwise
 * (CI, a pipe) a plain line every few seconds, so logs stay readable.
 */
public final class Progress {
    private static final long PLAIN_LINE_EVERY_NANOS = 5_000_000_000L;
    private static final long REDRAW_EVERY_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrinted;

    public Progress(PrintWriter err, String what, long total) {
        this(err, System.console() != null, what, total);
    }

    Progress(PrintWriter err, boolean terminal, String what, long total) {
        this.err = err;
        this.terminal = terminal;
        this.what = what;
        this.total = Math.max(total, 0);
    }

    public void update(long done) {
        long now = System.nanoTime();
        if (now - lastPrinted < (terminal ? REDRAW_EVERY_NANOS : PLAIN_LINE_EVERY_NANOS)) {
            return;
        }
        lastPrinted = now;
        print(done, false);
    }

    public void finish(long done) {
        print(done, true);
    }

    private void print(long done, boolean last) {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 0.001);
        double rate = done / seconds;
        String eta = total > done && rate > 0 ? String.format("ETA %ds", (long) ((total - done) / rate)) : "";
        String counts = total > 0 ? String.format("%,d/%,d", done, total) : String.format("%,d", done);
        if (terminal) {
            int filled = total > 0 ? (int) Math.min(WIDTH, WIDTH * done / total) : 0;
            err.printf("\r%s [%s%s] %s %,.0f/s %s   ", what, "=".repeat(filled), " ".repeat(WIDTH - filled), counts, rate, eta);
            if (last) {
                err.println();
            }
        } else {
            err.printf("%s: %s, %,.0f/s %s%n", what, counts, rate, last ? String.format("in %.1fs", seconds) : eta);
        }
        err.flush();
    }
}
