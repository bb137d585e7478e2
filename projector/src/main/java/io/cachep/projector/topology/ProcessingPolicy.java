package io.cachep.projector.topology;

/**
 * The configurable parts of how records are judged before any Redis write.
 *
 * @param maxEventBytes      a larger record value is poison ({@code VALUE_TOO_LARGE})
 * @param ignoreUnknownTypes count events no rule matches as {@code ignored} instead of dead-lettering them
 */
public record ProcessingPolicy(int maxEventBytes, boolean ignoreUnknownTypes) {}
