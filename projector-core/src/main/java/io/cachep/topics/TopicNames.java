package io.cachep.topics;

import java.util.regex.Pattern;

/**
 * Kafka's rule for legal topic names, so a bad name is caught while reading configuration or topic specs
 * rather than by the broker at the first produce. (Kafka's own check lives in an internal package.)
 */
public final class TopicNames {

    /** The rule in words, for error messages and docs. */
    public static final String RULE = "1 to 249 characters from [a-zA-Z0-9._-], and not '.' or '..'";

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private TopicNames() {
    }

    public static boolean isValid(String name) {
        // '.' and '..' match the pattern but would collide with directory names in the broker's log dirs.
        return name != null && LEGAL.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
