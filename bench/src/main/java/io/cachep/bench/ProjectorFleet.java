package io.cachep.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One or more projector processes with the same application id, sharing the partitions as Kafka Streams assigns them. */
final class ProjectorFleet implements AutoCloseable {
    private final List<ProjectorProcess> instances = new ArrayList<>();
    final String applicationId;

    private ProjectorFleet(String applicationId) {
        this.applicationId = applicationId;
    }

    static ProjectorFleet start(int size, String applicationId, Map<String, String> environment, String classPath,
                                List<String> jvmOptions, List<String> args, Path logDir) throws IOException {
        ProjectorFleet fleet = new ProjectorFleet(applicationId);
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PROJECTOR_APPLICATION_ID", applicationId);
        try {
            for (int i = 1; i <= size; i++) {
                String instance = applicationId + "-" + i;
                fleet.instances.add(ProjectorProcess.start(env, classPath,
                        jvmOptions.stream().map(o -> o.replace("{instance}", instance)).toList(),
                        args, logDir.resolve(instance + ".log")));
            }
        } catch (IOException | RuntimeException e) {
            fleet.closeQuietly();
            throw e;
        }
        return fleet;
    }

    List<ProjectorProcess> instances() {
        return instances;
    }

    /** Events handled by all instances together. */
    long eventsHandled() {
        return instances.stream().mapToLong(ProjectorProcess::eventsHandled).sum();
    }

    Map<String, Long> outcomes() {
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        instances.forEach(p -> p.eventCounts().forEach((k, v) -> outcomes.merge(k, v, Long::sum)));
        return outcomes;
    }

    double cpuSeconds() {
        return instances.stream().mapToDouble(p -> ProcessStats.cpuSeconds(p.pid())).sum();
    }

    long rssBytes() {
        return instances.stream().mapToLong(p -> ProcessStats.rssBytes(p.pid())).sum();
    }

    long heapAfterFullGc() throws IOException, InterruptedException {
        long heap = 0;
        for (ProjectorProcess instance : instances) {
            heap += instance.heapAfterFullGc();
        }
        return heap;
    }

    void requireAlive() {
        for (ProjectorProcess instance : instances) {
            if (!instance.isAlive()) {
                throw new IllegalStateException("projector process " + instance.pid() + " died; see its log in the bench's work directory");
            }
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        for (ProjectorProcess instance : instances) {
            try {
                instance.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
