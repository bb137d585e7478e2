package io.cachep.rulesfile;

import io.cachep.errors.CachepException;
import java.util.List;

/** A rules file that cannot be used, with every problem found, each as {@code file:line:column: where: what}. Exit 2. */
public final class InvalidRulesException extends CachepException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidRulesException(String file, List<String> problems) {
        super(USAGE, "rules file " + file + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
