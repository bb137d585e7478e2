package io.cachep.devstack.junit;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names that no other test of the run uses, so tests can share one broker and one Redis without seeing each other's
 * consumer groups, topics or keys. {@link DevStackExtension} gives each test method its own.
 *
 * @param testName the test's name, sanitized to {@code [a-z0-9-]}, at most {@value #MAX_NAME_LENGTH} characters
 * @param suffix   {@value #SUFFIX_LENGTH} random characters {@code [a-z0-9]}, unique to this test
 */
public record TestIsolation(String testName, String suffix) {
    static final int MAX_NAME_LENGTH = 40;
    static final int SUFFIX_LENGTH = 6;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]{" + SUFFIX_LENGTH + "}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public TestIsolation {
        Objects.requireNonNull(testName, "testName");
        Objects.requireNonNull(suffix, "suffix");
        if (testName.length() > MAX_NAME_LENGTH || !NAME.matcher(testName).matches()) {
            throw new IllegalArgumentException("testName must match " + NAME + " and have at most " + MAX_NAME_LENGTH
                    + " characters, was '" + testName + "'");
        }
        if (!SUFFIX.matcher(suffix).matches()) {
            throw new IllegalArgumentException("suffix must match " + SUFFIX + ", was '" + suffix + "'");
        }
    }

    /** A fresh isolation for a test named {@code rawName} (any characters; sanitized) with a random suffix. */
    public static TestIsolation forTest(String rawName) {
        return new TestIsolation(sanitize(rawName), randomSuffix());
    }

    /** {@code it-<test name>-<suffix>}: a Kafka Streams {@code application.id} and consumer {@code group.id}. */
    public String applicationId() {
        return "it-" + testName + "-" + suffix;
    }

    /** {@code <base>-<suffix>}: this test's copy of a topic. */
    public String topic(String base) {
        Objects.requireNonNull(base, "base");
        if (base.isBlank()) {
            throw new IllegalArgumentException("base must not be blank");
        }
        return base + "-" + suffix;
    }

    /** {@code t<suffix>}: a Redis key namespace for this test, e.g. {@code keyPrefix() + ":user:{42}"}. */
    public String keyPrefix() {
        return "t" + suffix;
    }

    static String sanitize(String rawName) {
        Objects.requireNonNull(rawName, "rawName");
        // camelCase -> camel-case first, so names stay readable in topic and group listings.
        String dashed = rawName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-");
        String trimmed = trimDashes(dashed.length() > MAX_NAME_LENGTH ? dashed.substring(0, MAX_NAME_LENGTH) : dashed);
        return trimmed.isEmpty() ? "test" : trimmed;
    }

    private static String trimDashes(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '-') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(start, end);
    }

    static String randomSuffix() {
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
