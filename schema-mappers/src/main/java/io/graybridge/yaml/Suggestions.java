package io.graybridge.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** "Did you mean ...?" hints for misspelt keys and values, by edit distance. */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code word}, if it is close enough to be a likely typo. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = distance(w, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, w.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** {@code did you mean 'x'?} or, when nothing is close, {@code expected one of: a, b, c}. */
    public static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates)
                .map(c -> "did you mean '" + c + "'?")
                .orElseGet(() -> "expected one of: " + list(candidates));
    }

    /** {@code a, b, c}. */
    public static String list(Collection<String> candidates) {
        return candidates.stream().collect(Collectors.joining(", "));
    }

    /** Levenshtein distance (insert, delete, substitute; adjacent swap counts 2). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
