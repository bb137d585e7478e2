package io.cachep.rules;

/**
 * The keys of one tag: the sorted set of entry keys registered under it (scored by event time) and the marker
 * holding the latest time the tag was invalidated. Both share the tag's hash tag, so one script updates them.
 *
 * @param name the rendered tag, e.g. {@code tenant:{t-1}}
 */
public record TagKey(String name, String index, String flushedAt, String hashTag) {}
