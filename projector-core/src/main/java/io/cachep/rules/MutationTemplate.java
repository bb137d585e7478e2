package io.cachep.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One mutation of a rule, as declared: templates still to be rendered from an event. */
public sealed interface MutationTemplate permits MutationTemplate.UpsertTemplate, MutationTemplate.MergeTemplate,
        MutationTemplate.DeleteTemplate, MutationTemplate.ExpireTemplate, MutationTemplate.MemberTemplate,
        MutationTemplate.InvalidateTagTemplate {

    /** Its operation in the table of operations. */
    Operation operation();

    /** Calls the visitor's method for this kind of template. */
    <R> R accept(Visitor<R> visitor);

    /** Code that handles every kind of template implements this, so a kind it forgot does not compile. */
    interface Visitor<R> {
        R upsert(UpsertTemplate upsert);

        R merge(MergeTemplate merge);

        R delete(DeleteTemplate delete);

        R expire(ExpireTemplate expire);

        R member(MemberTemplate member);

        R invalidateTag(InvalidateTagTemplate invalidateTag);
    }

    /**
     * What every write may carry: an expiry from event time ({@code ttl}) or from a template ({@code expiresAt}),
     * and tags to register the key under. Both expiry fields null means the write sets no expiry of its own.
     */
    record WriteOptions(Duration ttl, Template expiresAt, List<Template> tags) {
        public static final WriteOptions NONE = new WriteOptions(null, null, List.of());

        public WriteOptions {
            tags = List.copyOf(tags);
        }
    }

    /** {@code upsert}: replace the entry with a hash of rendered fields, or with one rendered string. */
    record UpsertTemplate(Template key, Map<String, Template> hash, Template json, WriteOptions options)
            implements MutationTemplate {
        @Override
        public Operation operation() {
            return Operation.UPSERT;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.upsert(this);
        }
    }

    /**
     * {@code merge}: set some fields of a hash, each fenced on its own. Fields come from {@code hashFrom} (every
     * top-level field of the object at that data path; a null value removes the field) and from {@code hash}.
     *
     * @param hashFrom a path such as {@code [data]} or {@code [data, profile]}, or null
     */
    record MergeTemplate(Template key, List<String> hashFrom, Map<String, Template> hash, WriteOptions options)
            implements MutationTemplate {
        @Override
        public Operation operation() {
            return Operation.MERGE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.merge(this);
        }
    }

    /** {@code delete} and {@code invalidate}: remove the entry, leave a tombstone, and (invalidate) publish the key. */
    record DeleteTemplate(Operation operation, Template key, String channel) implements MutationTemplate {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.delete(this);
        }
    }

    /** {@code expire}: set or refresh the entry's expiry, fenced by version. */
    record ExpireTemplate(Template key, Duration ttl, Template expiresAt) implements MutationTemplate {
        @Override
        public Operation operation() {
            return Operation.EXPIRE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.expire(this);
        }
    }

    /**
     * {@code set-add}, {@code set-remove}, {@code zset-add}, {@code zset-remove}: one member of a set or sorted set,
     * fenced per member. {@code score} only for zset-add; {@code options} only for the adds.
     */
    record MemberTemplate(Operation operation, Template key, Template member, Template score, WriteOptions options)
            implements MutationTemplate {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.member(this);
        }
    }

    /** {@code invalidate-tag}: drop every entry registered under the tag whose writes are no newer than the event. */
    record InvalidateTagTemplate(Template tag) implements MutationTemplate {
        @Override
        public Operation operation() {
            return Operation.INVALIDATE_TAG;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.invalidateTag(this);
        }
    }
}
