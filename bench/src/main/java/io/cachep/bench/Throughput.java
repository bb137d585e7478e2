package io.cachep.bench;

/**
 * What one run achieved: {@code events} handled in {@code seconds}, timed from the moment the first records were in
 * hand to the moment the last one was done, so start-up (JVM, group join, first fetch) counts against no run.
 */
record Throughput(String run, long events, double seconds) {
    double eventsPerSecond() {
        return seconds <= 0 ? 0 : events / seconds;
    }

    /** Started when the first records arrive, stopped when the last is done. */
    static final class Clock {
        private long started = -1;

        void startIfNotYet() {
            if (started < 0) {
                started = System.nanoTime();
            }
        }

        Throughput stop(String run, long events) {
            return new Throughput(run, events, (System.nanoTime() - started) / 1e9);
        }
    }
}
