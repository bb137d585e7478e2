package io.cachep.topics;

import io.cachep.errors.CachepException;
import java.util.List;

/**
 * Some topics could not be created or inspected. Carries every failure, and the changes that did succeed so the
 * caller can still report them. Exit 1.
 */
public final class TopicApplyException extends CachepException {

    private final List<String> problems;
    private final List<TopicChange> completed;

    public TopicApplyException(List<String> problems, List<TopicChange> completed, Throwable firstCause) {
        super(FAILED, describe(problems), firstCause);
        this.problems = List.copyOf(problems);
        this.completed = List.copyOf(completed);
    }

    public List<String> problems() {
        return problems;
    }

    public List<TopicChange> completed() {
        return completed;
    }

    private static String describe(List<String> problems) {
        StringBuilder message = new StringBuilder("Could not apply topic specs (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> message.append(System.lineSeparator()).append("  - ").append(problem));
        return message.toString();
    }
}
