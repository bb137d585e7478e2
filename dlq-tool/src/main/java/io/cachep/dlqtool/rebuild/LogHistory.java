package io.cachep.dlqtool.rebuild;

import io.cachep.dlqtool.AccessDenied;
import io.cachep.rules.MutationTemplate;
import io.cachep.rules.Operation;
import io.cachep.rules.ProjectionRule;
import io.cachep.rules.ProjectionRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Whether the log still holds the history a rebuild needs, topic by topic.
 *
 * <ul>
 *   <li>A topic whose earliest offset is past 0 in some partition has lost its start to retention
 *       ({@code cleanup.policy} {@code delete}) or to {@code deleteRecords}: the rebuild would miss those events.
 *       Compaction alone never moves the start, so on a compact-only topic this too means events are gone.</li>
 *   <li>A compacted topic keeps only the latest record per key. Rules that write whole entries ({@code upsert},
 *       {@code delete}, {@code invalidate}, {@code invalidate-tag}) rebuild exactly from it: the latest event decides.
 *       Rules that merge fields, maintain members or set expiries (and custom rules, which may do any of that) need
 *       the earlier events compaction removed.</li>
 * </ul>
 *
 * @param topics   per topic: partitions, cleanup policy, first offsets, records
 * @param notes    what the operator should know but does not stop a rebuild
 * @param problems why the history is partial: a rebuild refuses without {@code --allow-partial-history}
 */
public record LogHistory(List<Topic> topics, List<String> notes, List<String> problems) {

    /** @param firstOffsets the earliest offset still in the log, by partition */
    public record Topic(String name, String cleanupPolicy, Map<Integer, Long> firstOffsets, long records) {
        public boolean compacted() {
            return cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        }

        boolean deletes() {
            return cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_DELETE);
        }

        /** The partitions whose start is gone, as {@code partition@offset}. */
        public String truncated() {
            return firstOffsets.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    public boolean partial() {
        return !problems.isEmpty();
    }

    /** Reads each topic's cleanup policy (Admin API) and judges it with the first and end offsets and the rules. */
    public static LogHistory of(Admin admin, ProjectionRules rules, Map<TopicPartition, Long> beginnings,
                                Map<TopicPartition, Long> ends) throws Exception {
        List<ConfigResource> resources = rules.topics().stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = new HashMap<>();
        for (Map.Entry<ConfigResource, KafkaFuture<Config>> config : admin.describeConfigs(resources).values().entrySet()) {
            try {
                configs.put(config.getKey(), config.getValue().get());
            } catch (ExecutionException e) {
                throw AccessDenied.namingTopic(config.getKey().name(), e);
            }
        }
        List<Topic> topics = new ArrayList<>();
        for (ConfigResource resource : resources) {
            ConfigEntry policy = configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG);
            Map<Integer, Long> first = new TreeMap<>();
            long records = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (end.getKey().topic().equals(resource.name())) {
                    long begin = beginnings.getOrDefault(end.getKey(), 0L);
                    first.put(end.getKey().partition(), begin);
                    records += Math.max(0, end.getValue() - begin);
                }
            }
            topics.add(new Topic(resource.name(), policy == null ? TopicConfig.CLEANUP_POLICY_DELETE : policy.value(), first, records));
        }
        return judge(topics, rules);
    }

    static LogHistory judge(List<Topic> topics, ProjectionRules rules) {
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Topic topic : topics) {
            String truncated = topic.truncated();
            // Retention (cleanup.policy delete) or deleteRecords moved the start; compaction alone never does.
            if (!truncated.isEmpty()) {
                problems.add("topic " + topic.name() + " no longer holds its start (partition@first offset: " + truncated
                        + "): " + (topic.deletes() ? "retention or " : "") + "deleteRecords removed events the rebuild would need");
            }
            if (topic.compacted()) {
                List<String> inexact = inexactRules(topic.name(), rules.rules());
                if (inexact.isEmpty()) {
                    notes.add("topic " + topic.name() + " is compacted (one record per key): its rules write whole"
                            + " entries (upsert, delete), which rebuild exactly from the latest event of each key");
                } else {
                    problems.add("topic " + topic.name() + " is compacted (one record per key), and " + String.join(", ", inexact)
                            + ": those need the earlier events of a key, which compaction removed; only whole-entry"
                            + " rules (upsert, delete) rebuild exactly from a compacted topic");
                }
            }
        }
        return new LogHistory(List.copyOf(topics), List.copyOf(notes), List.copyOf(problems));
    }

    /** Why an operation needs earlier events of a key than the latest. */
    private static String needsHistory(Operation operation) {
        return switch (operation) {
            case MERGE -> "merges fields";
            case SET_ADD, SET_REMOVE, ZSET_ADD, ZSET_REMOVE -> "maintains members (" + operation.ruleName() + ")";
            case EXPIRE -> "sets expiries of entries other events write";
            case UPSERT, DELETE, INVALIDATE, INVALIDATE_TAG -> "uses " + operation.ruleName();
        };
    }

    /** The rules on the topic that need more than the latest event per key, each with why. */
    private static List<String> inexactRules(String topic, Collection<ProjectionRule> rules) {
        List<String> inexact = new ArrayList<>();
        for (ProjectionRule rule : rules) {
            if (!rule.topic().equals(topic)) {
                continue;
            }
            if (rule.isCustom()) {
                inexact.add("rule '" + rule.name() + "' is custom (it may merge fields or maintain members)");
                continue;
            }
            for (MutationTemplate mutation : rule.mutations()) {
                Operation operation = mutation.operation();
                if (!operation.exactFromCompactedTopic()) {
                    inexact.add("rule '" + rule.name() + "' " + needsHistory(operation));
                    break;
                }
            }
        }
        return inexact;
    }
}
