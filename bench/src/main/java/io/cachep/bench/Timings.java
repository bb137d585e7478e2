package io.cachep.bench;

import java.util.Arrays;

/** Timings of one kind, in nanoseconds, sorted: percentiles read off them by nearest rank. */
record Timings(long[] sortedNanos) {
    /** Sorts a copy of {@code nanos}. */
    static Timings of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Timings(sorted);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The {@code p}th percentile (0 to 100) in nanoseconds; NaN without samples. */
    double percentileNanos(double p) {
        return nearestRank(sortedNanos, p);
    }

    double percentileMicros(double p) {
        return percentileNanos(p) / 1e3;
    }

    /** Samples per second of time spent in them: for timings taken one after another on one thread, its rate. */
    double perSecond() {
        double total = 0;
        for (long nanos : sortedNanos) {
            total += nanos;
        }
        return total == 0 ? Double.NaN : sortedNanos.length * 1e9 / total;
    }

    /** The nearest-rank percentile of sorted samples, NaN when there are none. */
    static double nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // The small subtraction keeps 99.9% of 1000 at rank 999, where doubles would make it 1000.
        int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
