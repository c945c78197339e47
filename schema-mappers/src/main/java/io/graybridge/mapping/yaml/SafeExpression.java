package io.graybridge.mapping.yaml;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * A computed-column expression of a mapping file, compiled once by Apache Commons JEXL in a sandbox.
 *
 * <p>The sandbox: the language is cut down to expressions ({@link JexlFeatures}: no {@code new}, no
 * loops, no lambdas, no assignments or other side effects, no pragmas or imports, no method calls on
 * values, so {@code java.lang.Runtime.getRuntime()} does not even parse); variables are plain column names
 * only (no property paths such as {@code name.class}), read-only; class-name resolution is off; the only
 * functions are the ones of the {@code fn:} namespace ({@link Functions}); and introspection runs under
 * JEXL's {@link JexlPermissions#RESTRICTED} permissions (no reflection, class loading, processes, files or
 * threads) plus that one class. So a mapping file cannot reach a class, a file, the network or the
 * process: such an expression is rejected when the file is loaded, or, when only evaluation can tell,
 * fails with an {@link IllegalArgumentException} naming the expression.
 *
 * <p>Once accepted, the expression is also compiled to Java closures ({@link FastExpression}) that rows
 * run through; JEXL evaluates any row the compiled form gives up on, and its answer or error stands.
 *
 * <p>Immutable and thread-safe.
 */
public final class SafeExpression {
    private static final JexlFeatures FEATURES = new JexlFeatures()
            .script(false)
            .newInstance(false)
            .loops(false)
            .lambda(false)
            .thinArrow(false)
            .fatArrow(false)
            .sideEffect(false)
            .sideEffectGlobal(false)
            .localVar(false)
            .pragma(false)
            .pragmaAnywhere(false)
            .importPragma(false)
            .namespacePragma(false)
            .annotation(false)
            .methodCall(false)
            .structuredLiteral(false)
            .register(false);

    private static final JexlBuilder BUILDER = new JexlBuilder()
            .features(FEATURES)
            .permissions(new JexlPermissions.ClassPermissions(JexlPermissions.RESTRICTED, List.of(Functions.class.getCanonicalName())))
            .namespaces(Map.of("fn", Functions.class))
            .arithmetic(new ExactArithmetic())
            .antish(false)
            .strict(true)
            .safe(false)
            .silent(false)
            .cache(512);

    private static final JexlEngine ENGINE = BUILDER.create();

    private final String text;
    private final JexlScript script;
    private final Set<String> variables;
    private final List<String> variableList;
    /** The compiled fast form, or null: then every row runs in JEXL. */
    private final FastExpression.Node fast;

    private SafeExpression(String text, JexlScript script, Set<String> variables) {
        this.text = text;
        this.script = script;
        this.variables = variables;
        this.variableList = List.copyOf(variables);
        this.fast = FastExpression.compile(script, variableList, ENGINE.getArithmetic(), BUILDER.options().isBooleanLogical());
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException saying what the sandbox or the parser rejected
     */
    public static SafeExpression compile(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the expression is empty");
        }
        JexlScript script;
        try {
            script = ENGINE.createScript(FEATURES, null, text);
        } catch (JexlException e) {
            throw new IllegalArgumentException("expression '" + text + "' is not allowed: " + reason(e)
                    + " (expressions may use the row's columns, literals, arithmetic, comparisons, && || !,"
                    + " ?: and the fn: functions; no new, no method calls, no classes)", e);
        }
        Set<String> vars = new LinkedHashSet<>();
        for (List<String> path : script.getVariables()) {
            if (path.size() != 1) {
                throw new IllegalArgumentException("expression '" + text + "' reads '" + String.join(".", path)
                        + "': only plain column names are allowed");
            }
            vars.add(path.get(0));
        }
        return new SafeExpression(text, script, Collections.unmodifiableSet(vars));
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** The column names the expression reads, in order of appearance. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Evaluates with the given column values (every {@link #variables()} entry present).
     *
     * @throws IllegalArgumentException when the evaluation fails or the sandbox refuses it
     */
    public Object evaluate(Map<String, Object> columns) {
        if (columns.keySet().containsAll(variables)) {
            Object[] values = new Object[variableList.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = columns.get(variableList.get(i));
            }
            return evaluate(values);
        }
        return interpret(new ReadOnlyContext(columns));
    }

    /**
     * Evaluates with {@code values[i]} as the value of the i-th of {@link #variables()}, without building a
     * map: through the compiled fast form when it has one and takes these values, else in JEXL.
     */
    Object evaluate(Object[] values) {
        if (fast != null) {
            try {
                return fast.eval(values);
            } catch (RuntimeException giveUp) {
                // not the plain case (or an error): JEXL evaluates the row and its answer or error stands
            }
        }
        return interpret(new ArrayContext(variableList, values));
    }

    /** Whether rows run through the compiled fast form (else every row runs in JEXL's interpreter). */
    boolean compiled() {
        return fast != null;
    }

    /** The compiled fast form alone (it throws to give up), or null; for tests. */
    FastExpression.Node fastForm() {
        return fast;
    }

    /** Evaluates in JEXL's interpreter only (the reference the fast form is tested against). */
    Object interpret(Object[] values) {
        return interpret(new ArrayContext(variableList, values));
    }

    private Object interpret(JexlContext context) {
        try {
            return script.execute(context);
        } catch (JexlException | ArithmeticException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("expression '" + text + "' failed: " + reason(e), e);
        }
    }

    private record ArrayContext(List<String> names, Object[] values) implements JexlContext {
        @Override
        public Object get(String name) {
            int i = names.indexOf(name);
            return i < 0 ? null : values[i];
        }

        @Override
        public void set(String name, Object value) {
            throw new UnsupportedOperationException("expressions cannot assign ('" + name + "')");
        }

        @Override
        public boolean has(String name) {
            return names.contains(name);
        }
    }

    private static String reason(Exception e) {
        String message = e instanceof JexlException j ? j.getMessage() : String.valueOf(e.getMessage());
        return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ");
    }

    @Override
    public String toString() {
        return text;
    }

    private record ReadOnlyContext(Map<String, Object> columns) implements JexlContext {
        @Override
        public Object get(String name) {
            return columns.get(name);
        }

        @Override
        public void set(String name, Object value) {
            throw new UnsupportedOperationException("expressions cannot assign ('" + name + "')");
        }

        @Override
        public boolean has(String name) {
            return columns.containsKey(name);
        }
    }

    /**
     * JEXL's strict arithmetic, except that a decimal division whose quotient terminates is exact
     * ({@code 899 / 100} is {@code 8.99} by {@link BigDecimal#divide(BigDecimal)}, as hand-written Java
     * computes it, instead of a division to 34 significant digits); a quotient that does not terminate
     * ({@code 1 / 3}) is rounded to 34 digits as before.
     */
    private static final class ExactArithmetic extends org.apache.commons.jexl3.JexlArithmetic {
        ExactArithmetic() {
            super(true);
        }

        @Override
        public Object divide(Object left, Object right) {
            if (left instanceof BigDecimal l && (right instanceof BigDecimal || right instanceof Integer
                    || right instanceof Long)) {
                BigDecimal r = right instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) right).longValue());
                if (r.signum() != 0) {
                    try {
                        return l.divide(r);
                    } catch (ArithmeticException nonTerminating) {
                        return l.divide(r, getMathContext());
                    }
                }
            }
            return super.divide(left, right);
        }
    }

    /** The functions an expression may call, as {@code fn:name(...)}. Pure, on values only. */
    public static final class Functions {
        private Functions() {}

        public static String upper(String s) {
            return s == null ? null : s.toUpperCase(Locale.ROOT);
        }

        public static String lower(String s) {
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        }

        public static String trim(String s) {
            return s == null ? null : s.strip();
        }

        public static int length(String s) {
            return s.length();
        }

        public static String concat(Object a, Object b) {
            return String.valueOf(a) + b;
        }

        public static BigDecimal round(Number n, int scale) {
            return new BigDecimal(n.toString()).setScale(scale, RoundingMode.HALF_EVEN);
        }

        public static BigDecimal decimal(Object n) {
            if (n instanceof Long || n instanceof Integer || n instanceof Short) {
                return BigDecimal.valueOf(((Number) n).longValue()); // the common case, without a string per row
            }
            return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
        }

        public static long integer(Object n) {
            if (n instanceof Long || n instanceof Integer || n instanceof Short) {
                return ((Number) n).longValue();
            }
            return (n instanceof BigDecimal d ? d : new BigDecimal(n.toString())).longValueExact();
        }
    }
}
