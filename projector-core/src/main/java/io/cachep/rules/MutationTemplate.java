package io.cachep.rules;

import java.time.Duration;
import java.util.Map;

/** One mutation of a rule, as declared: templates still to be rendered from an event. */
public sealed interface MutationTemplate permits MutationTemplate.UpsertTemplate, MutationTemplate.DeleteTemplate {

    /** The operation's name in the rules file. */
    String operation();

    Template key();

    /**
     * {@code upsert}: replace the entry with a hash of rendered fields, or with one rendered string.
     *
     * @param ttl       expiry measured from the event's time, or null
     * @param expiresAt a template rendering an RFC 3339 instant or epoch millis, or null
     */
    record UpsertTemplate(Template key, Map<String, Template> hash, Template json, Duration ttl, Template expiresAt)
            implements MutationTemplate {
        @Override
        public String operation() {
            return "upsert";
        }
    }

    /**
     * {@code delete} and {@code invalidate}: remove the entry, leave a tombstone, and (invalidate) publish the key.
     */
    record DeleteTemplate(String operation, Template key, String channel) implements MutationTemplate {}
}
