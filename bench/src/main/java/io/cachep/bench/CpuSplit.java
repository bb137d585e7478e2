package io.cachep.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** CPU seconds of each process of the run, sampled at two moments: the cores each one used in between. */
final class CpuSplit {
    private final Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
    private final Map<String, Double> start = new LinkedHashMap<>();
    private long startNanos;

    CpuSplit add(String name, DoubleSupplier cpuSeconds) {
        processes.put(name, cpuSeconds);
        return this;
    }

    CpuSplit add(String name, long pid) {
        return add(name, () -> ProcessStats.cpuSeconds(pid));
    }

    void start() {
        startNanos = System.nanoTime();
        processes.forEach((name, cpu) -> start.put(name, cpu.getAsDouble()));
    }

    /** Cores used by each process since {@link #start()} (1.0 = one core busy all the time). */
    Map<String, Double> coresSinceStart() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        processes.forEach((name, cpu) -> cores.put(name, (cpu.getAsDouble() - start.get(name)) / wall));
        return cores;
    }
}
