package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.TagKey;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply of the release before the lean fence: its scripts ({@code layout1/}, as they were at that release) called
 * the way its {@code RedisApplier} called them, so a test can leave Redis as that release would have and then upgrade.
 */
final class Layout1Applier {
    private static final String APPLY = RedisLibrary.read("layout1/fenced-apply.lua");
    private static final String TAG_INDEX = RedisLibrary.read("layout1/tag-index.lua");

    private final RedisCommands<String, String> redis;
    private final Duration tombstoneRetention;
    private final KeyLayout layout;

    Layout1Applier(RedisCommands<String, String> redis, Duration tombstoneRetention, KeyLayout layout) {
        this.redis = redis;
        this.tombstoneRetention = tombstoneRetention;
        this.layout = layout;
    }

    /** Applies one event's mutations as that release did (its outcomes are not needed here). */
    void apply(EventStamp stamp, List<Mutation> mutations) {
        List<Mutation.EntryMutation> entries = new ArrayList<>();
        for (Mutation mutation : mutations) {
            if (mutation instanceof Mutation.EntryMutation entry) {
                entries.add(entry);
            } else {
                invalidateTag(stamp, ((Mutation.InvalidateTag) mutation).tag());
            }
        }
        if (!entries.isEmpty()) {
            run(new FencedApplyScript.Batch(tombstoneRetention).add(stamp, entries).build());
        }
    }

    private void invalidateTag(EventStamp stamp, TagKey tag) {
        String time = Long.toString(stamp.timeMillis());
        String[] keys = {tag.index(), tag.flushedAt()};
        List<Object> reply = redis.eval(TAG_INDEX, ScriptOutputType.MULTI, keys, "F", time);
        Map<String, List<EntryKey>> byHashTag = new LinkedHashMap<>();
        for (Object dataKey : reply.subList(1, reply.size())) {
            EntryKey entry = layout.entryOfDataKey(String.valueOf(dataKey));
            byHashTag.computeIfAbsent(entry.hashTag(), k -> new ArrayList<>()).add(entry);
        }
        byHashTag.values().forEach(group -> run(new FencedApplyScript.Batch(tombstoneRetention)
                .flush(stamp, group, stamp.timeMillis()).build()));
        redis.eval(TAG_INDEX, ScriptOutputType.VALUE, keys, "C", time);
    }

    private void run(FencedApplyScript.Call call) {
        redis.<List<Object>>eval(APPLY, ScriptOutputType.MULTI, call.keys(), call.args());
    }
}
