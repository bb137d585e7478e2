package io.cachep.bench;

import io.cachep.text.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's results for people (tables) and for scripts (one JSON object). */
final class BenchReport {
    private final BenchResults r;

    BenchReport(BenchResults results) {
        this.r = results;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        if (r.follow != null || r.recovery != null || r.share != null) { // a run alone: its own log
            out.append(r.follow != null ? follow() : r.share != null ? share() : recovery());
            r.environment.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
            return out.toString();
        }
        if (r.loaded == null) { // the client run alone: no workload, no broker
            out.append(client());
            r.environment.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "workload: %,d records (%,d entities, %.0f bytes each on average), %d partitions"
                        + " per topic, %.0f%% duplicates, %.0f%% reordered; pre-loaded in %.1f s%n%n",
                r.loaded.records(), r.loaded.entities(), (double) r.loaded.bytes() / r.loaded.records(), r.partitions,
                r.workload.duplicates() * 100, r.workload.reorder() * 100, r.loaded.elapsed().toMillis() / 1000.0));

        TextTable runs = new TextTable("run", "events/s", "redis µs/event", "notes");
        if (r.redisLimit != null) {
            runs.row("1. redis limit: fenced apply from Lettuce, pipelined, no Kafka", rate(r.redisLimit.throughput()),
                    micros(r.redisLimitStats, r.redisLimit.throughput().events()),
                    String.format(Locale.ROOT, "%,.0f mutations/s", r.redisLimit.mutations() / r.redisLimit.throughput().seconds()));
        }
        if (r.redisFloor != null) {
            runs.row("1b. redis floor: the same writes as plain pipelined commands, no fence", rate(r.redisFloor),
                    micros(r.redisFloorStats, r.redisFloor.events()), "not correct, only its cost counts");
        }
        if (r.kafkaLimit != null) {
            runs.row("2. kafka limit: consume + decode envelopes, no Redis", rate(r.kafkaLimit), "-", "");
        }
        if (r.naiveSync != null) {
            runs.row("3a. naive-sync: HSET + EXPIRE per record, commitSync per poll", rate(r.naiveSync), "-", "no fence");
        }
        if (r.naiveBatched != null) {
            runs.row("3b. naive-batched: async fenced call per record, await, commitSync", rate(r.naiveBatched),
                    micros(r.naiveBatchedStats, r.naiveBatched.events()), "");
        }
        if (r.projector != null) {
            runs.row("4. projector, 1 instance", rate(r.projector.throughput()),
                    micros(r.projector.redis(), r.projector.throughput().events()),
                    String.format(Locale.ROOT, "zero lag %.1f s after the first event", r.projector.secondsToZeroLag()));
        }
        if (r.projectorBefore != null) {
            runs.row("4b. projector, the build before", rate(r.projectorBefore.throughput()),
                    micros(r.projectorBefore.redis(), r.projectorBefore.throughput().events()),
                    String.format(Locale.ROOT, "jvm µs/event %.1f (second half %.1f)",
                            BenchResults.jvmMicrosPerEvent(r.projectorBefore),
                            r.projectorBefore.secondHalfJvmMicrosPerEvent()));
        }
        if (r.cluster != null) {
            runs.row("4c. projector, 1 instance, on a Redis Cluster of " + r.clusterPrimaries + " primaries",
                    rate(r.cluster.throughput()), micros(r.cluster.redis(), r.cluster.throughput().events()),
                    String.format(Locale.ROOT, "summed over the primaries; zero lag %.1f s after the first event",
                            r.cluster.secondsToZeroLag()));
        }
        if (r.scaling != null) {
            runs.row("7. projector, " + r.scalingInstances + " instances (same application id)", rate(r.scaling.throughput()),
                    micros(r.scaling.redis(), r.scaling.throughput().events()), "partitions " + r.scaling.partitionsByMember().values());
        }
        out.append(runs.render()).append('\n');
        if (r.redisLimit != null) {
            out.append("redis limit, redis commands/event: ")
                    .append(r.redisLimitStats.commandsPer(r.redisLimit.throughput().events())).append("\n\n");
        }
        if (r.projectorBefore != null) {
            out.append("the build before, redis commands/event: ")
                    .append(r.projectorBefore.redis().commandsPer(r.projectorBefore.throughput().events())).append("\n\n");
        }

        if (r.projector != null) {
            out.append(ratio("of limit", r.ofLimit(), "%.2f")).append(ratio("vs naive-batched", r.versus(r.naiveBatched), "%.1fx"))
                    .append(ratio("vs naive-sync", r.versus(r.naiveSync), "%.1fx"))
                    .append(String.format(Locale.ROOT, "redis µs/event: %.1f  (function time %.1f µs/event, %.2f function calls/event)%n",
                            r.projector.redis().cpuMicrosPer(r.projector.throughput().events()),
                            (double) r.projector.redis().scriptMicros() / r.projector.throughput().events(),
                            (double) r.projector.redis().scriptCalls() / r.projector.throughput().events()))
                    .append(ratio("fence overhead", r.fenceOverhead(), "%.1fx"))
                    .append(ratio("jvm µs/event", BenchResults.jvmMicrosPerEvent(r.projector), "%.1f"))
                    .append(ratio("jvm µs/event, second half (JIT warm-up done)", r.projector.secondHalfJvmMicrosPerEvent(), "%.1f"))
                    .append(ratio("vs before", r.versusBefore(), "%.1fx"))
                    .append("redis commands/event: ").append(r.projector.redis().commandsPer(r.projector.throughput().events())).append('\n')
                    .append("outcomes: ").append(r.projector.outcomes()).append('\n');
            if (r.modelDivergences != null) {
                out.append(String.format(Locale.ROOT, "model check: %,d entries implied by the log, %d divergent%s%n",
                        r.modelEntries, r.modelDivergences.size(), r.modelDivergences.isEmpty() ? " (Redis equals the reference projection)"
                                : ": " + String.join("; ", r.modelDivergences.subList(0, Math.min(5, r.modelDivergences.size())))));
            }
            out.append('\n');
            TextTable cpu = new TextTable("process (run 4)", "cores used");
            r.projector.cores().forEach((process, cores) -> cpu.row(process, String.format(Locale.ROOT, "%.2f", cores)));
            out.append(cpu.render()).append('\n');
        }

        if (r.cluster != null) {
            out.append(cluster());
        }

        TextTable memory = new TextTable("memory", "MiB");
        if (r.projector != null) {
            memory.row("projector heap after GC, at full rate", mib(r.projector.heapAfterGcBytes()));
            memory.row("projector RSS, peak at full rate", mib(r.projector.peakRssBytes()));
        }
        if (r.pause != null) {
            memory.row("projector heap after GC, before the Redis pause", mib(r.pause.heapBeforeBytes()));
            memory.row(String.format(Locale.ROOT, "projector heap after GC, peak during a %d s Redis pause at %.0f events/s",
                    r.pause.pause().toSeconds(), r.pause.rate()), mib(r.pause.peakHeapAfterGcBytes()));
            memory.row("projector RSS, peak during the pause", mib(r.pause.peakRssBytes()));
        }
        if (r.projector != null || r.pause != null) {
            out.append(memory.render());
            if (r.pause != null) {
                out.append(String.format(Locale.ROOT, "after the pause: %,d events produced during it, caught up %.1f s after Redis came back%n",
                        r.pause.produced(), r.pause.secondsToCatchUp()));
            }
            out.append('\n');
        }

        if (!r.latency.isEmpty()) {
            TextTable latency = new TextTable("latency, produce to visible in Redis: events/s produced live", "p50 ms",
                    "p99 ms", "p99.9 ms", "max ms", "samples");
            for (LatencyRun.Result run : r.latency) {
                latency.row(String.format(Locale.ROOT, "%,.0f", run.rate()), millis(run.percentileMillis(50)),
                        millis(run.percentileMillis(99)), millis(run.percentileMillis(99.9)),
                        millis(run.percentileMillis(100)), run.sortedLatencyNanos().length);
            }
            out.append(latency.render()).append('\n');
        }
        if (r.client != null) {
            out.append(client());
        }
        r.environment.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (r.follow != null) {
            json.put("follow", r.follow);
        }
        if (r.share != null) {
            json.put("share", r.share);
        }
        if (r.recovery != null) {
            json.put("recovery", r.recovery);
        }
        if (r.loaded != null) {
            json.put("records", r.loaded.records());
            json.put("entities", r.loaded.entities());
            json.put("partitions", r.partitions);
        }
        if (r.redisLimit != null) {
            json.put("redisLimitEventsPerSecond", r.redisLimit.throughput().eventsPerSecond());
            json.put("redisLimitMutationsPerSecond", r.redisLimit.mutations() / r.redisLimit.throughput().seconds());
            json.put("redisLimitRedisMicrosPerEvent", r.redisLimitStats.cpuMicrosPer(r.redisLimit.throughput().events()));
        }
        if (r.redisFloor != null) {
            json.put("redisFloorEventsPerSecond", r.redisFloor.eventsPerSecond());
            json.put("redisFloorRedisMicrosPerEvent", r.redisFloorStats.cpuMicrosPer(r.redisFloor.events()));
        }
        putRate(json, "kafkaLimitEventsPerSecond", r.kafkaLimit);
        putRate(json, "naiveSyncEventsPerSecond", r.naiveSync);
        putRate(json, "naiveBatchedEventsPerSecond", r.naiveBatched);
        if (r.projector != null) {
            json.put("projectorEventsPerSecond", r.projector.throughput().eventsPerSecond());
            json.put("ofLimit", r.ofLimit());
            json.put("vsNaiveBatched", r.versus(r.naiveBatched));
            json.put("vsNaiveSync", r.versus(r.naiveSync));
            json.put("redisMicrosPerEvent", r.projector.redis().cpuMicrosPer(r.projector.throughput().events()));
            json.put("redisSysMicrosPerEvent", r.projector.redis().sysMicrosPer(r.projector.throughput().events()));
            json.put("functionMicrosPerEvent", r.projector.redis().scriptMicrosPer(r.projector.throughput().events()));
            json.put("fenceOverhead", r.fenceOverhead());
            json.put("jvmMicrosPerEvent", BenchResults.jvmMicrosPerEvent(r.projector));
            json.put("jvmMicrosPerEventSecondHalf", r.projector.secondHalfJvmMicrosPerEvent());
            json.put("vsBefore", r.versusBefore());
            json.put("scriptCallsPerEvent", (double) r.projector.redis().scriptCalls() / r.projector.throughput().events());
            json.put("secondsToZeroLag", r.projector.secondsToZeroLag());
            json.put("outcomes", r.projector.outcomes());
            json.put("cores", r.projector.cores());
            json.put("heapAfterGcBytes", r.projector.heapAfterGcBytes());
            json.put("peakRssBytes", r.projector.peakRssBytes());
            json.put("modelEntries", r.modelEntries);
            json.put("modelDivergences", r.modelDivergences == null ? null : r.modelDivergences.size());
        }
        if (!r.latency.isEmpty()) {
            LatencyRun.Result half = r.latency.get(0);
            json.put("latencyRate", half.rate());
            json.put("latencyP50Ms", half.percentileMillis(50));
            json.put("latencyP99Ms", half.percentileMillis(99));
            json.put("latencyP999Ms", half.percentileMillis(99.9));
            json.put("latencySamples", half.sortedLatencyNanos().length);
            List<Map<String, Object>> runs = new java.util.ArrayList<>();
            for (LatencyRun.Result run : r.latency) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("rate", run.rate());
                row.put("p50Ms", run.percentileMillis(50));
                row.put("p99Ms", run.percentileMillis(99));
                row.put("p999Ms", run.percentileMillis(99.9));
                row.put("samples", run.sortedLatencyNanos().length);
                runs.add(row);
            }
            json.put("latencyRuns", runs);
        }
        if (r.pause != null) {
            json.put("pauseSeconds", r.pause.pause().toSeconds());
            json.put("pauseHeapBeforeBytes", r.pause.heapBeforeBytes());
            json.put("pausePeakHeapAfterGcBytes", r.pause.peakHeapAfterGcBytes());
            json.put("pausePeakRssBytes", r.pause.peakRssBytes());
            json.put("pauseCatchUpSeconds", r.pause.secondsToCatchUp());
        }
        if (r.cluster != null) {
            long events = r.cluster.throughput().events();
            json.put("clusterPrimaries", r.clusterPrimaries);
            json.put("clusterReplicasPerPrimary", r.clusterReplicasPerPrimary);
            json.put("clusterEventsPerSecond", r.cluster.throughput().eventsPerSecond());
            json.put("clusterRedisMicrosPerEvent", r.cluster.redis().cpuMicrosPer(events));
            json.put("clusterReplicaRedisMicrosPerEvent",
                    RedisNodes.replicasTotal(r.cluster.redisNodes()).cpuMicrosPer(events));
            json.put("clusterRedisSysMicrosPerEvent", r.cluster.redis().sysMicrosPer(events));
            json.put("clusterFunctionMicrosPerEvent", r.cluster.redis().scriptMicrosPer(events));
            json.put("clusterFunctionCallsPerEvent", (double) r.cluster.redis().scriptCalls() / events);
            json.put("clusterVsSingleNodeEventsPerSecond", r.clusterVsSingleNodeRate());
            json.put("clusterVsSingleNodeRedisMicrosPerEvent", r.clusterVsSingleNodeRedisMicros());
            List<Map<String, Object>> nodes = new java.util.ArrayList<>();
            for (RedisNodes.Use node : r.cluster.redisNodes()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("address", node.address());
                row.put("role", node.role().name());
                row.put("redisMicrosPerEvent", node.stats().cpuMicrosPer(events));
                row.put("redisSysMicrosPerEvent", node.stats().sysMicrosPer(events));
                row.put("functionMicrosPerEvent", node.stats().scriptMicrosPer(events));
                row.put("functionCallsPerEvent", (double) node.stats().scriptCalls() / events);
                row.put("keys", node.keys());
                nodes.add(row);
            }
            json.put("clusterNodes", nodes);
            json.put("clusterSecondsToZeroLag", r.cluster.secondsToZeroLag());
            json.put("clusterJvmMicrosPerEvent", BenchResults.jvmMicrosPerEvent(r.cluster));
            json.put("clusterOutcomes", r.cluster.outcomes());
            json.put("clusterCores", r.cluster.cores());
            json.put("clusterModelEntries", r.clusterModelEntries);
            json.put("clusterModelDivergences", r.clusterModelDivergences == null ? null : r.clusterModelDivergences.size());
        }
        if (r.scaling != null) {
            json.put("scalingInstances", r.scalingInstances);
            json.put("scalingEventsPerSecond", r.scaling.throughput().eventsPerSecond());
            json.put("scalingPartitionsByMember", r.scaling.partitionsByMember());
        }
        if (r.client != null) {
            json.put("client", clientJson());
        }
        json.put("environment", r.environment);
        return json;
    }

    /** Run 8: the read side, each figure with what it is. */
    /** Run 11: plain verify against verify --run in one process and in two. */
    private String share() {
        ShareRun.Result s = r.share;
        TextTable table = new TextTable(String.format(Locale.ROOT, "11. share: %,d records, command (%s each)",
                s.records(), RecoveryRun.HEAP), "exit", "wall s", "shares compared", "records split",
                "mutations folded", "peak live heap, MiB");
        List<ShareRun.Process> all = new ArrayList<>(List.of(s.plain(), s.alone()));
        all.addAll(s.pair());
        for (ShareRun.Process p : all) {
            ShareRun.Part part = p.part();
            table.row(p.command().name(), p.command().exit(), String.format(Locale.ROOT, "%.1f", p.command().seconds()),
                    part == null ? "-" : part.shares(),
                    part == null ? "-" : String.format(Locale.ROOT, "%,d", part.recordsSplit()),
                    part == null ? "-" : String.format(Locale.ROOT, "%,d", part.mutationsFolded()),
                    p.command().peakLiveMegabytes());
        }
        return table.render() + String.format(Locale.ROOT, "two processes together: %.1f s wall; Redis was rebuilt from"
                + " the log first, so every exit must be 0. Every process shares this machine's cores%n%n",
                s.pairWallSeconds());
    }

    /** Run 10: verify --follow beside the projector, a FLUSHALL, the report and the repair. */
    private String follow() {
        FollowRun.Result f = r.follow;
        TextTable table = new TextTable("10. follow: figure", "value");
        table.row("log before following, records", String.format(Locale.ROOT, "%,d", f.logRecords()));
        table.row("events a second while following", String.format(Locale.ROOT, "%,.0f", f.rate()));
        table.row("divergences reported in " + FollowRun.QUIET.toSeconds() + " s before the flush (must be 0)",
                f.falseReports());
        table.row("FLUSHALL -> first report, s", String.format(Locale.ROOT, "%.1f", f.reportedSeconds()));
        table.row("FLUSHALL -> repaired (no entry divergent), s", String.format(Locale.ROOT, "%.1f", f.repairedSeconds()));
        table.row("divergent entries reported after the flush", String.format(Locale.ROOT, "%,d", f.reported()));
        table.row("divergent when SIGTERM stopped the follower", f.divergentAtStop());
        table.row("plain verify after it all (0: equal)", f.verifyExit());
        return table.render() + "goals: reported within 10 s, repaired within 60 s\n\n";
    }

    private String recovery() {
        TextTable table = new TextTable("9. recovery: log records", "command (" + RecoveryRun.HEAP + ")", "exit", "wall s",
                "log read + model, events/s", "main phase, events/s", "peak heap after GC, MiB",
                "peak live heap, MiB");
        for (RecoveryRun.Step step : r.recovery) {
            for (RecoveryRun.Command c : step.commands()) {
                RecoveryRun.Phase read = c.phase("reading the log");
                RecoveryRun.Phase main = c.phase(c.name().equals("rebuild") ? "building the shadow" : "comparing entries");
                table.row(String.format(Locale.ROOT, "%,d", step.records()), c.name(), c.exit(),
                        String.format(Locale.ROOT, "%.1f", c.seconds()),
                        read == null ? "-" : String.format(Locale.ROOT, "%,.0f", read.perSecond()),
                        main == null ? "-" : String.format(Locale.ROOT, "%,.0f", main.perSecond()),
                        c.peakHeapAfterGcMegabytes(), c.peakLiveMegabytes());
            }
        }
        return table.render() + "verify's main phase is the comparison (entries/s); rebuild's the shadow build (events/s)."
                + " Peak heap after GC: what the collector let the heap fill to; peak live heap: a full-GC histogram every 10 s."
                + " exit 3: verify found Redis differing from the log (before a rebuild: expected)\n\n";
    }

    private String client() {
        ClientRun.Result c = r.client;
        StringBuilder out = new StringBuilder();
        TextTable reads = new TextTable(String.format(Locale.ROOT, "8. cachep-client, %,d hash entries, one thread",
                c.options().entries()), "p50", "p99", "p99.9", "max", "per second", "samples", "notes");
        timingRow(reads, "L1 hit (every entry in the L1, random keys)", c.l1Hit(), c.l1ReadsPerSecond(),
                String.format(Locale.ROOT, "%s; per second untimed; each timing includes ~%.0f ns of clock",
                        c.l1Hits() == c.l1Reads() ? "all L1 hits" : String.format(Locale.ROOT, "%,d of %,d L1 hits",
                                c.l1Hits(), c.l1Reads()), c.clockNanos()));
        timingRow(reads, "Redis read, client without L1 (read script)", c.clientRedis(), c.clientRedis().perSecond(),
                "EVALSHA_RO: type, TTL, fence version and value in one call");
        timingRow(reads, "Redis read, plain Lettuce HGETALL (baseline)", c.rawHgetall(), c.rawHgetall().perSecond(),
                "the value alone; interleaved with the row above in blocks of 1,000");
        timingRow(reads, "fenced write sent -> invalidation heard by the L1 client", c.invalidation(), c.writesPerSecond(),
                String.format(Locale.ROOT, "%,d of %,d writes' invalidations seen; %d hot keys, per second as sent",
                        c.invalidationsSeen(), c.writes(), c.options().hotKeys()));
        timingRow(reads, "fenced write sent -> a read through the client returns it", c.visible(), c.writesPerSecond(),
                c.olderAfterInvalidation() == 0 ? "the read right after the invalidation, from Redis"
                        : c.olderAfterInvalidation() + " reads after an invalidation returned an older version");
        out.append(reads.render())
                .append(ratio("L1 hit vs Redis read through the client, p50", c.l1VersusRedis(), "%,.0fx faster"))
                .append(ratio("read script vs plain HGETALL, p50", c.scriptVersusHgetall(), "%.2fx"));
        if (!c.held()) {
            out.append(String.format(Locale.ROOT, "client run FAILED: %,d of %,d invalidations missed, %,d older reads%n",
                    c.writes() - c.invalidationsSeen(), c.writes(), c.olderAfterInvalidation()));
        }
        return out.append('\n').toString();
    }

    private static void timingRow(TextTable table, String what, Timings timings, double perSecond, String notes) {
        table.row(what, duration(timings.percentileNanos(50)), duration(timings.percentileNanos(99)),
                duration(timings.percentileNanos(99.9)), duration(timings.percentileNanos(100)),
                Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f", perSecond),
                String.format(Locale.ROOT, "%,d", timings.count()), notes);
    }

    private Map<String, Object> clientJson() {
        ClientRun.Result c = r.client;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("entries", c.options().entries());
        json.put("l1Hit", timingJson(c.l1Hit(), c.l1ReadsPerSecond()));
        json.put("l1Hits", c.l1Hits());
        json.put("l1Reads", c.l1Reads());
        json.put("clockNanos", c.clockNanos());
        json.put("redisRead", timingJson(c.clientRedis(), c.clientRedis().perSecond()));
        json.put("hgetall", timingJson(c.rawHgetall(), c.rawHgetall().perSecond()));
        json.put("l1VsRedisRead", c.l1VersusRedis());
        json.put("scriptVsHgetall", c.scriptVersusHgetall());
        json.put("invalidation", timingJson(c.invalidation(), c.writesPerSecond()));
        json.put("visible", timingJson(c.visible(), c.writesPerSecond()));
        json.put("hotKeys", c.options().hotKeys());
        json.put("writes", c.writes());
        json.put("invalidationsSeen", c.invalidationsSeen());
        json.put("olderAfterInvalidation", c.olderAfterInvalidation());
        return json;
    }

    /** Percentiles in µs (fractions for L1 hits), and the rate. */
    private static Map<String, Object> timingJson(Timings timings, double perSecond) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("p50Micros", timings.percentileMicros(50));
        json.put("p99Micros", timings.percentileMicros(99));
        json.put("p999Micros", timings.percentileMicros(99.9));
        json.put("maxMicros", timings.percentileMicros(100));
        json.put("perSecond", perSecond);
        json.put("samples", timings.count());
        return json;
    }

    /**
     * Run 4c beside run 4: the Redis CPU an event costs on one server and summed over the cluster's primaries, how it
     * spreads over them, what the replicas add, and the model check of the cluster.
     */
    private String cluster() {
        StringBuilder out = new StringBuilder();
        long events = r.cluster.throughput().events();
        TextTable beside = new TextTable("redis cluster (run 4c) beside one redis-server (run 4)", "events/s",
                "redis µs/event", "of which kernel", "in functions", "function calls/event", "jvm µs/event");
        if (r.projector != null) {
            long single = r.projector.throughput().events();
            beside.row("one redis-server (run 4)", rate(r.projector.throughput()), micros(r.projector.redis(), single),
                    oneDecimal(r.projector.redis().sysMicrosPer(single)), oneDecimal(r.projector.redis().scriptMicrosPer(single)),
                    calls(r.projector.redis(), single), oneDecimal(BenchResults.jvmMicrosPerEvent(r.projector)));
        }
        beside.row("cluster, " + r.clusterPrimaries + " primaries summed (run 4c)", rate(r.cluster.throughput()),
                micros(r.cluster.redis(), events), oneDecimal(r.cluster.redis().sysMicrosPer(events)),
                oneDecimal(r.cluster.redis().scriptMicrosPer(events)), calls(r.cluster.redis(), events),
                oneDecimal(BenchResults.jvmMicrosPerEvent(r.cluster)));
        out.append(beside.render());
        out.append(ratio("cluster vs one server, redis µs/event", r.clusterVsSingleNodeRedisMicros(), "%.2fx"))
                .append(ratio("cluster vs one server, events/s", r.clusterVsSingleNodeRate(), "%.2fx")).append('\n');

        double primaries = r.cluster.redis().mainThreadCpuSeconds();
        TextTable nodes = new TextTable("node (run 4c)", "role", "redis µs/event", "of which kernel", "share",
                "function calls/event", "keys", "cores");
        for (RedisNodes.Use node : r.cluster.redisNodes()) {
            Double cores = r.cluster.cores().get("redis-server, " + node.role() + " " + node.address());
            nodes.row(node.address(), node.role().name(), micros(node.stats(), events),
                    oneDecimal(node.stats().sysMicrosPer(events)), node.role() == RedisNodes.Role.primary && primaries > 0
                            ? String.format(Locale.ROOT, "%.0f%%", node.stats().mainThreadCpuSeconds() * 100 / primaries) : "-",
                    calls(node.stats(), events), String.format(Locale.ROOT, "%,d", node.keys()),
                    cores == null ? "-" : String.format(Locale.ROOT, "%.2f", cores));
        }
        RedisStats replicas = RedisNodes.replicasTotal(r.cluster.redisNodes());
        if (r.clusterReplicasPerPrimary > 0) {
            nodes.row("replicas, summed", "replica", micros(replicas, events), oneDecimal(replicas.sysMicrosPer(events)),
                    "-", "-", "-", "-");
        }
        out.append(nodes.render());
        out.append("cluster, redis commands/event (primaries): ").append(r.cluster.redis().commandsPer(events)).append('\n')
                .append("cluster, outcomes: ").append(r.cluster.outcomes()).append('\n');
        if (r.clusterModelDivergences != null) {
            out.append(String.format(Locale.ROOT, "model check, cluster: %,d entries implied by the log, %d divergent%s%n",
                    r.clusterModelEntries, r.clusterModelDivergences.size(), r.clusterModelDivergences.isEmpty()
                            ? " (the cluster equals the reference projection)"
                            : ": " + String.join("; ", r.clusterModelDivergences.subList(0, Math.min(5, r.clusterModelDivergences.size())))));
        }
        out.append('\n');
        TextTable cpu = new TextTable("process (run 4c)", "cores used");
        r.cluster.cores().forEach((process, cores) -> cpu.row(process, String.format(Locale.ROOT, "%.2f", cores)));
        out.append(cpu.render()).append('\n');
        return out.toString();
    }

    private static String oneDecimal(Double value) {
        return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String calls(RedisStats stats, long events) {
        return String.format(Locale.ROOT, "%.3f", (double) stats.scriptCalls() / events);
    }

    private static void putRate(Map<String, Object> json, String name, Throughput throughput) {
        if (throughput != null) {
            json.put(name, throughput.eventsPerSecond());
        }
    }

    private static String rate(Throughput t) {
        return String.format(Locale.ROOT, "%,.0f", t.eventsPerSecond());
    }

    private static String micros(RedisStats stats, long events) {
        return stats == null ? "-" : String.format(Locale.ROOT, "%.1f", stats.cpuMicrosPer(events));
    }

    /** ns below a microsecond, µs below a millisecond, else ms. */
    static String duration(double nanos) {
        if (Double.isNaN(nanos)) {
            return "-";
        }
        if (nanos < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        return nanos < 1e6 ? String.format(Locale.ROOT, "%.1f µs", nanos / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    private static String ratio(String name, Double value, String format) {
        return value == null ? "" : name + ": " + String.format(Locale.ROOT, format, value) + "\n";
    }
}
