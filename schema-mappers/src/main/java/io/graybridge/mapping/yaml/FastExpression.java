package io.graybridge.mapping.yaml;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.parser.ASTAddNode;
import org.apache.commons.jexl3.parser.ASTAndNode;
import org.apache.commons.jexl3.parser.ASTArguments;
import org.apache.commons.jexl3.parser.ASTDivNode;
import org.apache.commons.jexl3.parser.ASTEQNode;
import org.apache.commons.jexl3.parser.ASTFalseNode;
import org.apache.commons.jexl3.parser.ASTFunctionNode;
import org.apache.commons.jexl3.parser.ASTGENode;
import org.apache.commons.jexl3.parser.ASTGTNode;
import org.apache.commons.jexl3.parser.ASTIdentifier;
import org.apache.commons.jexl3.parser.ASTJexlScript;
import org.apache.commons.jexl3.parser.ASTLENode;
import org.apache.commons.jexl3.parser.ASTLTNode;
import org.apache.commons.jexl3.parser.ASTModNode;
import org.apache.commons.jexl3.parser.ASTMulNode;
import org.apache.commons.jexl3.parser.ASTNENode;
import org.apache.commons.jexl3.parser.ASTNamespaceIdentifier;
import org.apache.commons.jexl3.parser.ASTNotNode;
import org.apache.commons.jexl3.parser.ASTNullLiteral;
import org.apache.commons.jexl3.parser.ASTNumberLiteral;
import org.apache.commons.jexl3.parser.ASTOrNode;
import org.apache.commons.jexl3.parser.ASTReferenceExpression;
import org.apache.commons.jexl3.parser.ASTStringLiteral;
import org.apache.commons.jexl3.parser.ASTSubNode;
import org.apache.commons.jexl3.parser.ASTTernaryNode;
import org.apache.commons.jexl3.parser.ASTTrueNode;
import org.apache.commons.jexl3.parser.ASTUnaryMinusNode;
import org.apache.commons.jexl3.parser.JexlNode;

/**
 * The fast form of a {@link SafeExpression}: the syntax tree JEXL parsed (in its sandbox) compiled once
 * into a tree of Java closures over the row's values, so a row costs neither an interpreter, a context nor
 * a name lookup.
 *
 * <p>It is an optimisation only, and never the authority: every operator calls the same
 * {@link JexlArithmetic} instance the interpreter uses, literals are JEXL's own parsed values, and the
 * functions are the {@code fn:} ones. It knows a closed list of node kinds (columns, literals, arithmetic,
 * comparisons, {@code && || !}, {@code ?:}, parentheses and {@code fn:} calls); a tree with anything else is
 * not compiled ({@link #compile} returns null) and runs in JEXL. At evaluation it gives up, by throwing,
 * whenever a value is not the plain case (a NULL column, an argument whose type a function does not take,
 * any exception): {@link SafeExpression} then evaluates the row in JEXL, whose answer or error stands. So
 * the fast form can only ever return what JEXL returns; {@code FastExpressionTest} compares the two.
 *
 * <p>Immutable and thread-safe.
 */
final class FastExpression {
    /** One compiled node. */
    @FunctionalInterface
    interface Node {
        /**
         * The node's value for the expression's variables in {@code values} (in {@link SafeExpression#variables()}
         * order); throws anything to give up.
         */
        Object eval(Object[] values);
    }

    /** Thrown to give up on a row: not an error, JEXL decides. No stack trace, so giving up is cheap. */
    static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super("not the fast case", null, false, false);
        }
    }

    /** Thrown while compiling: the tree holds a node the fast form does not know. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private static final Method GET_SCRIPT = scriptAccessor();

    private final JexlArithmetic arithmetic;
    private final List<String> variables;
    private final boolean booleanLogical;

    private FastExpression(JexlArithmetic arithmetic, List<String> variables, boolean booleanLogical) {
        this.arithmetic = arithmetic;
        this.variables = variables;
        this.booleanLogical = booleanLogical;
    }

    /**
     * Compiles the tree of {@code script} (already parsed and checked by the sandbox), or returns null when it
     * holds a node kind the fast form does not know or the tree cannot be read.
     *
     * @param variables the script's variables, in the order {@link Node#eval} receives their values
     * @param booleanLogical the engine's option: whether {@code && ||} give a boolean or their last operand
     */
    static Node compile(JexlScript script, List<String> variables, JexlArithmetic arithmetic, boolean booleanLogical) {
        if (GET_SCRIPT == null) {
            return null;
        }
        ASTJexlScript tree;
        try {
            tree = (ASTJexlScript) GET_SCRIPT.invoke(script);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        if (tree == null || tree.jjtGetNumChildren() != 1 || tree.getParameters() != null && tree.getParameters().length > 0) {
            return null;
        }
        try {
            return new FastExpression(arithmetic, variables, booleanLogical).node(tree.jjtGetChild(0));
        } catch (Unsupported e) {
            return null;
        }
    }

    /** JEXL keeps the parsed tree of a script behind a protected accessor; null when it cannot be reached. */
    private static Method scriptAccessor() {
        try {
            Method m = Class.forName("org.apache.commons.jexl3.internal.Script").getDeclaredMethod("getScript");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private Node node(JexlNode n) throws Unsupported {
        // Each case mirrors org.apache.commons.jexl3.internal.Interpreter.visit for the same node (JEXL 3.6),
        // without operator overloads (SafeExpression's arithmetic declares none).
        if (n instanceof ASTNumberLiteral literal) {
            Object value = literal.getLiteral();
            return v -> value;
        }
        if (n instanceof ASTStringLiteral literal) {
            String value = literal.getLiteral();
            return v -> value;
        }
        if (n instanceof ASTNullLiteral) {
            return v -> null;
        }
        if (n instanceof ASTTrueNode) {
            return v -> Boolean.TRUE;
        }
        if (n instanceof ASTFalseNode) {
            return v -> Boolean.FALSE;
        }
        if (n instanceof ASTReferenceExpression && n.jjtGetNumChildren() == 1) {
            return node(n.jjtGetChild(0));
        }
        if (n instanceof ASTIdentifier id && !(n instanceof ASTNamespaceIdentifier)) {
            return variable(id);
        }
        if (n instanceof ASTFunctionNode) {
            return function(n);
        }
        if (n instanceof ASTUnaryMinusNode) {
            return negate(n);
        }
        if (n instanceof ASTNotNode && n.jjtGetNumChildren() == 1) {
            Node operand = node(n.jjtGetChild(0));
            return v -> arithmetic.not(operand.eval(v));
        }
        if (n instanceof ASTAndNode) {
            return shortCircuit(false, n);
        }
        if (n instanceof ASTOrNode) {
            return shortCircuit(true, n);
        }
        if (n instanceof ASTTernaryNode) {
            return ternary(n);
        }
        return binary(n);
    }

    private Node variable(ASTIdentifier id) throws Unsupported {
        int index = variables.indexOf(id.getName());
        if (id.getNamespace() != null || id.getSymbol() >= 0 || index < 0) {
            throw new Unsupported("identifier " + id.getName());
        }
        return v -> {
            Object value = v[index];
            if (value == null) {
                throw GiveUp.INSTANCE; // JEXL's strict mode has its own answer for a NULL operand
            }
            return value;
        };
    }

    private Node binary(JexlNode n) throws Unsupported {
        if (n.jjtGetNumChildren() != 2) {
            throw new Unsupported(n.getClass().getSimpleName());
        }
        Node l = node(n.jjtGetChild(0));
        Node r = node(n.jjtGetChild(1));
        JexlArithmetic a = arithmetic;
        if (n instanceof ASTAddNode) {
            return v -> a.add(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTSubNode) {
            return v -> a.subtract(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTMulNode) {
            return v -> a.multiply(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTDivNode) {
            return v -> a.divide(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTModNode) {
            return v -> a.mod(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTEQNode) {
            return v -> a.equals(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTNENode) {
            return v -> !a.equals(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTLTNode) {
            return v -> a.lessThan(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTLENode) {
            return v -> a.lessThanOrEqual(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTGTNode) {
            return v -> a.greaterThan(l.eval(v), r.eval(v));
        }
        if (n instanceof ASTGENode) {
            return v -> a.greaterThanOrEqual(l.eval(v), r.eval(v));
        }
        throw new Unsupported(n.getClass().getSimpleName());
    }

    /** JEXL caches a negated number literal in the node; this computes it the same way, once. */
    private Node negate(JexlNode n) throws Unsupported {
        if (n.jjtGetNumChildren() != 1) {
            throw new Unsupported("unary minus");
        }
        JexlNode child = n.jjtGetChild(0);
        if (child instanceof ASTNumberLiteral literal) {
            Object number = arithmetic.negate(literal.getLiteral());
            if (number instanceof Number num) {
                number = arithmetic.narrowNumber(num, literal.getLiteralClass());
            }
            Object value = number;
            return v -> value;
        }
        Node operand = node(child);
        return v -> arithmetic.negate(operand.eval(v));
    }

    private Node shortCircuit(boolean fuse, JexlNode n) throws Unsupported {
        Node[] operands = new Node[n.jjtGetNumChildren()];
        for (int i = 0; i < operands.length; i++) {
            operands[i] = node(n.jjtGetChild(i));
        }
        return v -> {
            Object argument = null;
            boolean result = false;
            for (Node operand : operands) {
                argument = operand.eval(v);
                result = arithmetic.toBoolean(argument);
                if (result == fuse) {
                    break;
                }
            }
            return booleanLogical ? (Object) result : argument;
        };
    }

    private Node ternary(JexlNode n) throws Unsupported {
        Node condition = node(n.jjtGetChild(0));
        if (n.jjtGetNumChildren() == 3) {
            Node then = node(n.jjtGetChild(1));
            Node otherwise = node(n.jjtGetChild(2));
            return v -> {
                Object c = condition.eval(v);
                return c != null && arithmetic.testPredicate(c) ? then.eval(v) : otherwise.eval(v);
            };
        }
        if (n.jjtGetNumChildren() == 2) {
            Node otherwise = node(n.jjtGetChild(1));
            return v -> {
                Object c = condition.eval(v);
                return c != null && arithmetic.testPredicate(c) ? c : otherwise.eval(v);
            };
        }
        throw new Unsupported("ternary");
    }

    /** The {@code fn:} functions, called directly when every argument has the type the method declares. */
    private Node function(JexlNode n) throws Unsupported {
        if (n.jjtGetNumChildren() != 2 || !(n.jjtGetChild(0) instanceof ASTNamespaceIdentifier id)
                || !"fn".equals(id.getNamespace()) || !(n.jjtGetChild(1) instanceof ASTArguments args)) {
            throw new Unsupported("function");
        }
        Node[] a = new Node[args.jjtGetNumChildren()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node(args.jjtGetChild(i));
        }
        String name = id.getName() + "/" + a.length;
        return switch (name) {
            case "upper/1" -> v -> SafeExpression.Functions.upper(string(a[0].eval(v)));
            case "lower/1" -> v -> SafeExpression.Functions.lower(string(a[0].eval(v)));
            case "trim/1" -> v -> SafeExpression.Functions.trim(string(a[0].eval(v)));
            case "length/1" -> v -> SafeExpression.Functions.length(string(a[0].eval(v)));
            case "concat/2" -> v -> SafeExpression.Functions.concat(present(a[0].eval(v)), present(a[1].eval(v)));
            case "round/2" -> v -> SafeExpression.Functions.round(number(a[0].eval(v)), integer(a[1].eval(v)));
            case "decimal/1" -> v -> SafeExpression.Functions.decimal(present(a[0].eval(v)));
            case "integer/1" -> v -> SafeExpression.Functions.integer(present(a[0].eval(v)));
            default -> throw new Unsupported("function fn:" + name);
        };
    }

    /** The functions {@link #function} calls directly, as name/arity; {@code FastExpressionTest} checks it covers them all. */
    static final Set<String> FUNCTIONS = Set.of("upper/1", "lower/1", "trim/1", "length/1", "concat/2", "round/2",
            "decimal/1", "integer/1");

    private static Object present(Object value) {
        if (value == null) {
            throw GiveUp.INSTANCE;
        }
        return value;
    }

    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw GiveUp.INSTANCE;
    }

    private static Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        throw GiveUp.INSTANCE;
    }

    private static int integer(Object value) {
        if (value instanceof Integer i) {
            return i;
        }
        throw GiveUp.INSTANCE;
    }
}
