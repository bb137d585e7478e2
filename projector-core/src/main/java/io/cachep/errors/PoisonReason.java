package io.cachep.errors;

/**
 * Why an event can never be applied, however often it is retried. Each reason is written into the
 * {@code cachep.reason} header of the event's dead-letter record, so this set is part of the DLQ contract:
 * add reasons, never rename them.
 */
public enum PoisonReason {
    /** The record's value is not JSON (or, in binary mode, its headers cannot be read). */
    UNDECODABLE,
    /** JSON, but not a CloudEvents 1.0 event cachep can use: not an object, or a required attribute missing or of the wrong type. */
    BAD_ENVELOPE,
    /** {@code entityversion} missing, not an integer, or negative. */
    BAD_VERSION,
    /** {@code time} missing or not an RFC 3339 timestamp. */
    BAD_TIME,
    /** No rule matches the event's topic and type. */
    UNKNOWN_TYPE,
    /** A rule's template names a field the event does not have (or one that cannot be rendered). */
    TEMPLATE_FIELD_MISSING,
    /** A template rendered a value the operation cannot use (a score that is not a number, an unreadable expires-at). */
    BAD_TEMPLATE_VALUE,
    /** A Kafka tombstone (null value) without the {@code ce_entityversion} header its delete must be fenced by. */
    TOMBSTONE_WITHOUT_VERSION,
    /** Redis answered WRONGTYPE: the key holds a different kind of value than the rule writes. */
    WRONG_REDIS_TYPE,
    /** The record is larger than the configured limit. */
    VALUE_TOO_LARGE
}
