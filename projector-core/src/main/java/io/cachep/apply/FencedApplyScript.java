package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.Mutation;
import io.cachep.rules.Mutation.MemberOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lua scripts ({@code fenced-apply.lua}, {@code tag-index.lua}) and the encoding of a group of entry operations
 * into the KEYS and ARGV of one fenced-apply call.
 */
final class FencedApplyScript {
    static final String SOURCE = load("fenced-apply.lua");
    static final String TAG_INDEX_SOURCE = load("tag-index.lua");

    private FencedApplyScript() {}

    /** KEYS and ARGV for one call: operations of one event on entries that share a hash tag. */
    record Call(String[] keys, String[] args) {}

    /** Builds a call; each entry's keys appear once however many operations touch it. */
    static final class Builder {
        private final Map<String, Integer> entryIndex = new LinkedHashMap<>();
        private final List<String> keys = new ArrayList<>();
        private final List<String> args = new ArrayList<>();

        Builder(EventStamp stamp, Duration tombstoneRetention) {
            args.add(Long.toString(stamp.version()));
            args.add(Long.toString(tombstoneRetention.toMillis()));
            args.add(Long.toString(stamp.timeMillis()));
        }

        Builder add(Mutation.EntryMutation mutation) {
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
            return this;
        }

        /** A tag invalidation reaching this entry: drop its content unless a write is newer than {@code flushTime}. */
        Builder flush(EntryKey key, long flushTimeMillis) {
            op("F", key).add(Long.toString(flushTimeMillis));
            return this;
        }

        Call build() {
            return new Call(keys.toArray(String[]::new), args.toArray(String[]::new));
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
            Integer index = entryIndex.get(key.data());
            if (index == null) {
                keys.add(key.data());
                keys.add(key.fence());
                index = entryIndex.size() + 1;
                entryIndex.put(key.data(), index);
            }
            args.add(code);
            args.add(Integer.toString(index));
            return args;
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
