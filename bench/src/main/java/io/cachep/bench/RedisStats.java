package io.cachep.bench;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.Map;

/**
 * What Redis's one thread spent, from {@code INFO cpu} and {@code INFO commandstats}: the fence runs there, so its
 * CPU per event is the figure that bounds the whole projection on one Redis.
 *
 * @param mainThreadCpuSeconds user + system CPU of Redis's main thread
 * @param mainThreadSysSeconds the system (kernel) part of it: reading calls off sockets, writing replies, waiting
 *                             for them; the fewer calls each wake-up finds, the more of it an event costs
 * @param scriptCalls          FCALL, EVALSHA and EVAL calls (cachep's library, or a baseline's script)
 * @param scriptMicros         time spent inside those calls
 * @param callsByCommand       calls of each command, those run inside scripts included
 */
record RedisStats(double mainThreadCpuSeconds, double mainThreadSysSeconds, long scriptCalls, long scriptMicros, Map<String, Long> callsByCommand) {
    private static final java.util.Set<String> SCRIPT_COMMANDS = java.util.Set.of("cmdstat_fcall", "cmdstat_evalsha",
            "cmdstat_eval");

    static RedisStats read(RedisCommands<String, String> redis) {
        return parse(redis.info("cpu"), redis.info("commandstats"));
    }

    /** From the text of {@code INFO cpu} and {@code INFO commandstats}. */
    static RedisStats parse(String cpuInfo, String commandStats) {
        Map<String, String> cpu = fields(cpuInfo);
        long calls = 0;
        long micros = 0;
        Map<String, Long> byCommand = new java.util.TreeMap<>();
        for (Map.Entry<String, String> stat : fields(commandStats).entrySet()) {
            Map<String, Long> numbers = numbers(stat.getValue());
            byCommand.put(stat.getKey().substring("cmdstat_".length()), numbers.getOrDefault("calls", 0L));
            if (SCRIPT_COMMANDS.contains(stat.getKey())) {
                calls += numbers.getOrDefault("calls", 0L);
                micros += numbers.getOrDefault("usec", 0L);
            }
        }
        double sys = Double.parseDouble(cpu.getOrDefault("used_cpu_sys_main_thread", cpu.get("used_cpu_sys")));
        double mainThread = Double.parseDouble(cpu.getOrDefault("used_cpu_user_main_thread", cpu.get("used_cpu_user"))) + sys;
        return new RedisStats(mainThread, sys, calls, micros, byCommand);
    }

    RedisStats minus(RedisStats before) {
        Map<String, Long> byCommand = new java.util.TreeMap<>(callsByCommand);
        before.callsByCommand.forEach((command, calls) -> byCommand.merge(command, -calls, Long::sum));
        byCommand.values().removeIf(calls -> calls == 0);
        return new RedisStats(mainThreadCpuSeconds - before.mainThreadCpuSeconds,
                mainThreadSysSeconds - before.mainThreadSysSeconds, scriptCalls - before.scriptCalls,
                scriptMicros - before.scriptMicros, byCommand);
    }

    /** Two servers' use together: a Redis Cluster's primaries summed, as one Redis would have had to do it all. */
    RedisStats plus(RedisStats other) {
        Map<String, Long> byCommand = new java.util.TreeMap<>(callsByCommand);
        other.callsByCommand.forEach((command, calls) -> byCommand.merge(command, calls, Long::sum));
        return new RedisStats(mainThreadCpuSeconds + other.mainThreadCpuSeconds,
                mainThreadSysSeconds + other.mainThreadSysSeconds, scriptCalls + other.scriptCalls,
                scriptMicros + other.scriptMicros, byCommand);
    }

    /** Nothing used: the start of a sum. */
    static RedisStats none() {
        return new RedisStats(0, 0, 0, 0, Map.of());
    }

    /** Main-thread CPU microseconds per event. */
    double cpuMicrosPer(long events) {
        return events == 0 ? 0 : mainThreadCpuSeconds * 1e6 / events;
    }

    /** The kernel's part of {@link #cpuMicrosPer}. */
    double sysMicrosPer(long events) {
        return events == 0 ? 0 : mainThreadSysSeconds * 1e6 / events;
    }

    /** Microseconds per event spent inside function and script calls (Redis's own timing of the commands). */
    double scriptMicrosPer(long events) {
        return events == 0 ? 0 : (double) scriptMicros / events;
    }

    /** Redis commands run per event, most frequent first, e.g. {@code hget 9.1, hset 4.0, ...} (inside scripts too). */
    String commandsPer(long events) {
        StringBuilder out = new StringBuilder();
        callsByCommand.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey())
                        .append(String.format(java.util.Locale.ROOT, " %.2f", (double) e.getValue() / events)));
        return out.toString();
    }

    private static Map<String, String> fields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** {@code calls=3,usec=40,usec_per_call=13.33,...} as numbers (whole ones only). */
    private static Map<String, Long> numbers(String stat) {
        Map<String, Long> numbers = new HashMap<>();
        for (String pair : stat.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[1].matches("\\d+")) {
                numbers.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return numbers;
    }
}
