package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.Mutation;
import io.cachep.rules.Mutation.MemberOperation;
import io.cachep.rules.TagKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lua scripts ({@code fenced-apply.lua}, {@code tag-index.lua}) and the encoding of a batch of events' entry
 * operations into the KEYS and ARGV of one fenced-apply call.
 */
final class FencedApplyScript {
    static final String SOURCE = load("fenced-apply.lua");
    static final String TAG_INDEX_SOURCE = load("tag-index.lua");

    private FencedApplyScript() {}

    /** KEYS and ARGV for one call. */
    record Call(String[] keys, String[] args) {}

    /**
     * Builds one call: several events, each with its operations, applied by the script in the order added as if each
     * had a call of its own. Each key appears once however many operations and events touch it.
     */
    static final class Batch {
        private final Map<String, Integer> pairIndex = new HashMap<>();
        private final List<String> keys = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private int events;
        private int opCountAt;
        private int ops;

        Batch(Duration tombstoneRetention) {
            args.add(Long.toString(tombstoneRetention.toMillis()));
            args.add("0"); // the number of events, set by build()
        }

        /**
         * Adds an event's entry mutations (in order), then the registration of every tagged write under its tags.
         * The script answers one outcome per entry mutation.
         */
        Batch add(EventStamp stamp, List<Mutation.EntryMutation> mutations) {
            startEvent(stamp);
            mutations.forEach(this::add);
            for (Mutation.EntryMutation mutation : mutations) {
                for (TagKey tag : mutation.tags()) {
                    op("R", mutation.key()).add(Integer.toString(pair(tag.index(), tag.flushedAt())));
                }
            }
            return endEvent();
        }

        /** An event of a tag invalidation reaching these entries: drop their content unless a write is newer. */
        Batch flush(EventStamp stamp, List<EntryKey> entries, long flushTimeMillis) {
            startEvent(stamp);
            for (EntryKey entry : entries) {
                op("F", entry).add(Long.toString(flushTimeMillis));
            }
            return endEvent();
        }

        Call build() {
            args.set(1, Integer.toString(events));
            return new Call(keys.toArray(String[]::new), args.toArray(String[]::new));
        }

        private void startEvent(EventStamp stamp) {
            args.add(Long.toString(stamp.version()));
            args.add(Long.toString(stamp.timeMillis()));
            opCountAt = args.size();
            args.add("0");
            ops = 0;
        }

        private Batch endEvent() {
            args.set(opCountAt, Integer.toString(ops));
            events++;
            return this;
        }

        private void add(Mutation.EntryMutation mutation) {
            if (mutation instanceof Mutation.Upsert u && u.hash() != null) {
                op("UH", u.key()).add(Long.toString(u.expireAtMillis()));
                fields(u.hash());
            } else if (mutation instanceof Mutation.Upsert u) {
                op("US", u.key()).add(Long.toString(u.expireAtMillis()));
                args.add(u.json());
            } else if (mutation instanceof Mutation.Merge m) {
                op("M", m.key()).add(Long.toString(m.expireAtMillis()));
                Map<String, String> set = new LinkedHashMap<>();
                List<String> removed = new ArrayList<>();
                m.fields().forEach((field, value) -> {
                    if (value == null) {
                        removed.add(field);
                    } else {
                        set.put(field, value);
                    }
                });
                fields(set);
                args.add(Integer.toString(removed.size()));
                args.addAll(removed);
            } else if (mutation instanceof Mutation.Delete d) {
                op("D", d.key()).add(d.channel() == null ? "" : d.channel());
            } else if (mutation instanceof Mutation.Expire x) {
                op("X", x.key()).add(Long.toString(x.expireAtMillis()));
            } else {
                member((Mutation.MemberWrite) mutation);
            }
        }

        private void member(Mutation.MemberWrite w) {
            MemberOperation op = w.operation();
            String code = switch (op) {
                case SET_ADD -> "SA";
                case SET_REMOVE -> "SR";
                case ZSET_ADD -> "ZA";
                case ZSET_REMOVE -> "ZR";
            };
            op(code, w.key());
            if (op.adds()) {
                args.add(Long.toString(w.expireAtMillis()));
            }
            args.add(w.member());
            if (op == MemberOperation.ZSET_ADD) {
                args.add(Double.toString(w.score()));
            }
        }

        private List<String> op(String code, EntryKey key) {
            args.add(code);
            args.add(Integer.toString(pair(key.data(), key.fence())));
            ops++;
            return args;
        }

        /** The number of a key pair (entry and fence, or tag index and marker), adding it on first use. */
        private int pair(String first, String second) {
            Integer index = pairIndex.get(first);
            if (index == null) {
                keys.add(first);
                keys.add(second);
                index = pairIndex.size() + 1;
                pairIndex.put(first, index);
            }
            return index;
        }

        private void fields(Map<String, String> fields) {
            args.add(Integer.toString(fields.size()));
            fields.forEach((field, value) -> {
                args.add(field);
                args.add(value);
            });
        }
    }

    static String load(String name) {
        try (InputStream in = FencedApplyScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
