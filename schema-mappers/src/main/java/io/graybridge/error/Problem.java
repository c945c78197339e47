package io.graybridge.error;

/**
 * One problem found in an operator's file (config or mapping) or in a live schema.
 *
 * @param file the file the problem is in, as the operator named it (or a description such as
 *     {@code "v1 database"})
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param message what is wrong, naming the key, table or column
 * @param hint what to do about it, or {@code null}
 */
public record Problem(String file, int line, int column, String message, String hint) {

    /** {@code file:line:column: message} and, on the next line, {@code   hint: ...}. */
    public String render() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ").append(message);
        if (hint != null && !hint.isBlank()) {
            sb.append(System.lineSeparator()).append("    hint: ").append(hint);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
