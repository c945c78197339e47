package io.graybridge.yaml;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the problems of one validation pass, so they are reported together. Not thread-safe: one
 * collector per pass. An identical problem added twice is kept once.
 */
public final class ProblemCollector {
    private final Set<Problem> problems = new LinkedHashSet<>();

    public void add(Problem problem) {
        problems.add(problem);
    }

    public void add(String file, int line, int column, String message, String hint) {
        add(new Problem(file, line, column, message, hint));
    }

    public void addAll(ProblemCollector other) {
        problems.addAll(other.problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** The problems grouped by file (files in the order they first appear), by line and column within a file. */
    public List<Problem> problems() {
        Map<String, List<Problem>> byFile = new LinkedHashMap<>();
        for (Problem p : problems) {
            byFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p);
        }
        List<Problem> sorted = new ArrayList<>(problems.size());
        Comparator<Problem> order = Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);
        for (List<Problem> inFile : byFile.values()) {
            inFile.sort(order); // stable: problems at the same place keep the order they were found in
            sorted.addAll(inFile);
        }
        return sorted;
    }

    /**
     * Throws one {@link ProblemsException} listing every problem, if there is any.
     *
     * @param what what was validated, for the message ({@code "config/bridge.yaml"})
     */
    public void throwIfAny(ErrorCode code, String what) {
        if (!problems.isEmpty()) {
            throw new ProblemsException(code, what, problems());
        }
    }
}
