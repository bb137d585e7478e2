package io.cachep.topics;

import io.cachep.errors.CachepException;
import java.util.List;

/** The topic specs cannot be used. Carries every problem found, each naming the file and the field. Exit 2. */
public final class InvalidTopicSpecException extends CachepException {

    private final List<String> problems;

    public InvalidTopicSpecException(List<String> problems) {
        super(USAGE, describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder message = new StringBuilder("Invalid topic specs (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> message.append(System.lineSeparator()).append("  - ").append(problem));
        return message.toString();
    }
}
