package io.graybridge.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar; <code>$${</code> stands for a
 * literal <code>${</code>. As in a shell, the default applies when the variable is unset or empty.
 */
final class EnvSubstitution {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * @param text the text with variables replaced, or {@code null} when some could not be
     * @param changed whether the text contained any variable
     * @param errors one per unset variable or malformed reference
     */
    record Result(String text, boolean changed, List<Error> errors) {}

    /** What is wrong with a reference, and what to do. */
    record Error(String message, String hint) {}

    private EnvSubstitution() {}

    static Result apply(String text, Map<String, String> env) {
        if (text.indexOf("${") < 0) {
            return new Result(text, false, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<Error> errors = new ArrayList<>();
        boolean changed = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                changed = true;
            } else if (c == '$' && text.startsWith("${", i)) {
                changed = true;
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    errors.add(new Error("unterminated '${'", "write ${NAME} or ${NAME:-default}; write $${ for a literal ${"));
                    break;
                }
                String body = text.substring(i + 2, end);
                int sep = body.indexOf(":-");
                String name = sep < 0 ? body : body.substring(0, sep);
                if (!NAME.matcher(name).matches()) {
                    errors.add(new Error("'${" + body + "}' is not a valid variable reference",
                            "write ${NAME} or ${NAME:-default}, NAME of letters, digits and _"));
                } else {
                    String value = env.get(name);
                    if (value == null || (value.isEmpty() && sep >= 0)) {
                        if (sep >= 0) {
                            out.append(body, sep + 2, body.length());
                        } else {
                            errors.add(new Error("environment variable '" + name + "' is not set",
                                    "set " + name + ", or give a default: ${" + name + ":-value}"));
                        }
                    } else {
                        out.append(value);
                    }
                }
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Result(errors.isEmpty() ? out.toString() : null, changed, List.copyOf(errors));
    }
}
