package io.graybridge.error;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in one validation pass, reported together so the operator fixes them at once. */
public class ProblemsException extends GrayBridgeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ProblemsException(ErrorCode code, String what, List<Problem> problems) {
        super(code, summary(what, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(String what, List<Problem> problems) {
        String nl = System.lineSeparator();
        return problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in " + what + ":" + nl
                + problems.stream().map(p -> "  " + p.render()).collect(Collectors.joining(nl));
    }
}
