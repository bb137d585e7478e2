package io.cachep.config;

import io.cachep.errors.CachepException;
import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, not only the first, and never a secret value. A usage
 * error: exit 2.
 */
public final class InvalidConfigurationException extends CachepException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(USAGE, describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the key and where its value came from. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder message = new StringBuilder("Invalid configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> message.append(System.lineSeparator()).append("  - ").append(problem));
        return message.toString();
    }
}
