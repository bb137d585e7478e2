package io.cachep.text;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known word closest to a misspelt one, for error messages ("did you mean 'hash'?"). */
public final class DidYouMean {
    private DidYouMean() {}

    /**
     * The closest candidate within an edit distance of a third of the word's length (at least 2), if any: for
     * short words such as field names.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        return closest(word, candidates, Math.max(2, word.length() / 3));
    }

    /** The closest candidate (ignoring case) at most {@code allowed} edits away, if any. */
    public static Optional<String> closest(String word, Collection<String> candidates, int allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** ", did you mean 'x'?" or the empty string. */
    public static String suffix(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> ", did you mean '" + c + "'?").orElse("");
    }

    /** Levenshtein distance (insertions, deletions, substitutions), two rows at a time. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
