package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.Mutation;
import io.cachep.rules.Mutation.MemberOperation;
import io.cachep.rules.Operation;
import io.cachep.rules.TagKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The encoding of a batch of events' entry operations into the KEYS and ARGV of one call of the library's apply. */
final class FencedApplyScript {
    private FencedApplyScript() {}

    /** KEYS and ARGV for one call. */
    record Call(String[] keys, String[] args) {}

    /**
     * The index a tagged write registers in, the invalidation time its marker must be at least ('' for none), and the
     * announcement to confirm once the call has succeeded (null for none; see {@link TagAnnouncer}).
     */
    record Registration(TagKey index, String floor, String announcement) {}

    /**
     * Where a tagged write registers: the tag's own index on one server ({@link #AS_IS}); on a Redis Cluster, the
     * tag's index shard on the entry's slot, so the call keeps to one slot ({@link TagAnnouncer}).
     */
    interface TagPlacement {
        Registration place(TagKey tag, EntryKey entry);
    }

    static final TagPlacement AS_IS = (tag, entry) -> new Registration(tag, "", null);

    /**
     * Builds one call: several events, each with its operations, applied by the function in the order added as if each
     * had a call of its own. Each key appears once however many operations and events touch it.
     */
    static final class Batch {
        private final Map<String, Integer> pairIndex = new HashMap<>();
        private final List<String> keys = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final List<String> announcements = new ArrayList<>();
        private int events;
        private int opCountAt;
        private int ops;

        Batch(Duration tombstoneRetention) {
            args.add(Long.toString(tombstoneRetention.toMillis()));
            args.add("0"); // the number of events, set by build()
        }

        /**
         * Adds an event's entry mutations (in order), then the registration of every tagged write under its tags.
         * The function answers one outcome per entry mutation.
         */
        Batch add(EventStamp stamp, List<Mutation.EntryMutation> mutations) {
            return add(stamp, mutations, AS_IS);
        }

        /** As {@link #add(EventStamp, List)}, each tag registered where {@code placement} says. */
        Batch add(EventStamp stamp, List<Mutation.EntryMutation> mutations, TagPlacement placement) {
            startEvent(stamp);
            mutations.forEach(this::add);
            for (Mutation.EntryMutation mutation : mutations) {
                for (TagKey tag : mutation.tags()) {
                    Registration at = placement.place(tag, mutation.key());
                    op("R", mutation.key()).add(Integer.toString(pair(at.index().index(), at.index().flushedAt())));
                    args.add(at.floor());
                    if (at.announcement() != null) {
                        announcements.add(at.announcement());
                    }
                }
            }
            return endEvent();
        }

        /** An event of a tag invalidation reaching these entries: drop their content unless a write is newer. */
        Batch flush(EventStamp stamp, List<EntryKey> entries, long flushTimeMillis) {
            startEvent(stamp);
            for (EntryKey entry : entries) {
                op(Operation.INVALIDATE_TAG.opcodes().get(0), entry).add(Long.toString(flushTimeMillis));
            }
            return endEvent();
        }

        /** The announcements whose floors this call carries ({@link TagAnnouncer#confirm}). */
        List<String> announcements() {
            return announcements;
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

        /** Encodes one mutation as its opcode (from the table of operations), its pair and its arguments. */
        private void add(Mutation.EntryMutation mutation) {
            mutation.accept(new Mutation.EntryVisitor<Void>() {
                @Override
                public Void upsert(Mutation.Upsert u) {
                    String code = u.operation().opcodes().get(u.hash() != null ? 0 : 1); // UH, US
                    op(code, u.key()).add(Long.toString(u.expireAtMillis()));
                    if (u.hash() != null) {
                        fields(u.hash());
                    } else {
                        args.add(u.json());
                    }
                    return null;
                }

                @Override
                public Void merge(Mutation.Merge m) {
                    op(opcode(m), m.key()).add(Long.toString(m.expireAtMillis()));
                    List<String> removed = m.removedFields();
                    fields(m.setFields());
                    args.add(Integer.toString(removed.size()));
                    args.addAll(removed);
                    return null;
                }

                @Override
                public Void delete(Mutation.Delete d) {
                    op(opcode(d), d.key()).add(d.channel() == null ? "" : d.channel());
                    return null;
                }

                @Override
                public Void expire(Mutation.Expire x) {
                    op(opcode(x), x.key()).add(Long.toString(x.expireAtMillis()));
                    return null;
                }

                @Override
                public Void member(Mutation.MemberWrite w) {
                    MemberOperation kind = w.kind();
                    op(opcode(w), w.key());
                    if (kind.adds()) {
                        args.add(Long.toString(w.expireAtMillis()));
                    }
                    args.add(w.member());
                    if (kind == MemberOperation.ZSET_ADD) {
                        args.add(Double.toString(w.score()));
                    }
                    return null;
                }
            });
        }

        private static String opcode(Mutation mutation) {
            return mutation.operation().opcodes().get(0);
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
}
