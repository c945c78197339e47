package io.graybridge.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A value in a {@link YamlDocument}, or a missing one, with its path ({@code sides.v1.pool-size},
 * {@code tables[0].columns[2].v1}), file, line and column.
 *
 * <p>Navigation ({@link #get}, {@link #items}) never fails: a missing key gives a missing node located at
 * its nearest existing ancestor. Typed accessors return {@link Optional#empty()} when the value is missing
 * or {@code null} (without a problem: the caller decides whether it was required, see {@link #require}),
 * and when it has the wrong type or range (recording a problem). Scalar values go through
 * {@code ${VAR}} / {@code ${VAR:-default}} substitution; messages quote the text as written in the file,
 * never a substituted value, so an environment variable's content never reaches a message.
 */
public final class YamlNode {
    private static final Resolver RESOLVER = new Resolver();
    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern HEX_INT = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");

    private final YamlDocument doc;
    private final Node node;
    private final String path;
    private final int line;
    private final int column;

    private YamlNode(YamlDocument doc, Node node, String path, int line, int column) {
        this.doc = doc;
        this.node = node;
        this.path = path;
        this.line = line;
        this.column = column;
    }

    static YamlNode of(YamlDocument doc, Node node, String path, Node keyNode) {
        Node at = keyNode != null ? keyNode : node;
        return new YamlNode(doc, node, path, YamlDocument.line(at), YamlDocument.column(at));
    }

    static YamlNode missing(YamlDocument doc, String path, int line, int column) {
        return new YamlNode(doc, null, path, line, column);
    }

    // ---------------------------------------------------------------- where

    /** Dotted path from the document root; {@code ""} for the root. */
    public String path() {
        return path;
    }

    public String file() {
        return doc.file();
    }

    /** 1-based line of the value's key (or of the value, for a list item); of the nearest ancestor when missing. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** {@code file:line}, for a mapping's or a setting's origin. */
    public String location() {
        return doc.file() + ":" + line;
    }

    /** Records a problem at this node. */
    public void problem(String message, String hint) {
        doc.problems().add(doc.file(), line, column, message, hint);
    }

    // ---------------------------------------------------------------- what

    /** Whether the key is present in the file (an explicit {@code null} counts as present). */
    public boolean exists() {
        return node != null;
    }

    /** Whether the key is present with a non-null value. */
    public boolean isSet() {
        return node != null && !isNull();
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && effectiveTag(s).equals(Tag.NULL);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** The scalar's text exactly as written in the file (before substitution), or {@code null}. */
    public String source() {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    // ---------------------------------------------------------------- navigation

    /** The value under {@code key} of this map; a missing node when absent or when this is not a map. */
    public YamlNode get(String key) {
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return of(doc, tuple.getValueNode(), childPath, k);
                }
            }
        }
        return missing(doc, childPath, line, column);
    }

    /** Follows {@code keys} from this node: {@code root.at("sides", "v1", "user")}. */
    public YamlNode at(String... keys) {
        YamlNode n = this;
        for (String key : keys) {
            n = n.get(key);
        }
        return n;
    }

    public boolean has(String key) {
        return get(key).exists();
    }

    /** The keys of this map in file order; empty when this is not a map. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k) {
                    keys.add(k.getValue());
                }
            }
        }
        return keys;
    }

    /** The entries of this map in file order; empty (with a problem) when it is set but not a map. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (expectMap()) {
            for (String key : keys()) {
                entries.putIfAbsent(key, get(key));
            }
        }
        return entries;
    }

    /** The items of this list; empty (with a problem) when it is set but not a list. */
    public List<YamlNode> items() {
        List<YamlNode> items = new ArrayList<>();
        if (expectList()) {
            List<Node> values = ((SequenceNode) node).getValue();
            for (int i = 0; i < values.size(); i++) {
                items.add(of(doc, values.get(i), path + "[" + i + "]", null));
            }
        }
        return items;
    }

    // ---------------------------------------------------------------- checks

    /** True when this is a map; records a problem when it is set but something else. */
    public boolean expectMap() {
        if (node instanceof MappingNode) {
            return true;
        }
        if (isSet()) {
            problem(subject() + " must be a map of keys, got " + describe(), null);
        }
        return false;
    }

    /** True when this is a list; records a problem when it is set but something else. */
    public boolean expectList() {
        if (node instanceof SequenceNode) {
            return true;
        }
        if (isSet()) {
            problem(subject() + " must be a list, got " + describe(), "write it as [a, b] or as lines starting with '- '");
        }
        return false;
    }

    /**
     * Records a problem for every key of this map that is not in {@code known}, at the key's line, with a
     * "did you mean" hint. Records a problem when this is set but not a map.
     */
    public void checkKeys(Collection<String> known) {
        if (!expectMap()) {
            return;
        }
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && !known.contains(k.getValue())) {
                String where = path.isEmpty() ? "unknown top-level key '" : "unknown key '";
                String in = path.isEmpty() ? "'" : "' in '" + path + "'";
                doc.problems().add(doc.file(), YamlDocument.line(k), YamlDocument.column(k),
                        where + k.getValue() + in, Suggestions.hint(k.getValue(), known));
            }
        }
    }

    /**
     * Records "missing required key" for each of {@code keys} that is absent or {@code null} here.
     *
     * @return whether all are set
     */
    public boolean require(String... keys) {
        boolean all = true;
        for (String key : keys) {
            YamlNode child = get(key);
            if (!child.isSet()) {
                all = false;
                problem("missing required key '" + child.path() + "'", null);
            }
        }
        return all;
    }

    // ---------------------------------------------------------------- scalars

    /** Any non-null scalar as text (a number or boolean as written), after substitution. */
    public Optional<String> string() {
        return scalar("a string").flatMap(this::resolvedText);
    }

    /**
     * Like {@link #string()}, for a secret: problems never quote the value, not even as written.
     */
    public Optional<String> secretString() {
        return string(); // problems about a string only ever describe its kind ("a list"), never its text
    }

    /** A string that matches {@code pattern}; {@code shape} describes it for the message ("1 to 40 of a-z, 0-9, _ and -"). */
    public Optional<String> matching(Pattern pattern, String shape) {
        Optional<String> s = string();
        if (s.isPresent() && !pattern.matcher(s.get()).matches()) {
            problem(subject() + " must be " + shape + ", got " + describe(), null);
            return Optional.empty();
        }
        return s;
    }

    /** An integer in {@code min..max}. Quoted numbers are strings, not integers. */
    public Optional<Integer> integer(int min, int max) {
        return longInteger(min, max).map(Long::intValue);
    }

    /** An integer in {@code min..max}. */
    public Optional<Long> longInteger(long min, long max) {
        String range = min + ".." + max;
        Optional<BigInteger> n = bigInteger("an integer in " + range);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        BigInteger value = n.get();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            problem(subject() + " must be in " + range + ", got " + describe(), null);
            return Optional.empty();
        }
        return Optional.of(value.longValue());
    }

    /** {@code true} or {@code false} (YAML 1.1 also reads yes/no/on/off). */
    public Optional<Boolean> bool() {
        Optional<ScalarNode> s = scalar("true or false");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> text = resolvedText(s.get());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!effectiveTag(s.get()).equals(Tag.BOOL)) {
            problem(subject() + " must be true or false, got " + describe(), s.get().isPlain() ? null : "remove the quotes");
            return Optional.empty();
        }
        return Optional.of(isTrue(text.get()));
    }

    /** One of {@code allowed} (exact match), with a "did you mean" hint otherwise. */
    public Optional<String> oneOf(Collection<String> allowed) {
        Optional<String> s = string();
        if (s.isPresent() && !allowed.contains(s.get())) {
            problem(subject() + " must be one of " + Suggestions.list(allowed) + ", got " + describe(),
                    Suggestions.closest(s.get(), allowed).map(c -> "did you mean '" + c + "'?").orElse(null));
            return Optional.empty();
        }
        return s;
    }

    /**
     * A constant of {@code type}, written in lower case with {@code -} for {@code _}
     * ({@code SnapshotMode.INITIAL} is {@code initial}).
     */
    public <E extends Enum<E>> Optional<E> enumValue(Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(enumName(constant), constant);
        }
        return oneOf(byName.keySet()).map(byName::get);
    }

    /** How {@link #enumValue} spells a constant. */
    public static String enumName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list of non-null scalars as strings; empty Optional when missing or malformed (with a problem). */
    public Optional<List<String>> stringList() {
        if (!isSet()) {
            return Optional.empty();
        }
        if (!expectList()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        boolean ok = true;
        for (YamlNode item : items()) {
            Optional<String> s = item.string();
            if (s.isPresent()) {
                values.add(s.get());
            } else {
                ok = false;
                if (!item.isSet()) {
                    item.problem(item.subject() + " must not be empty", null);
                }
            }
        }
        return ok ? Optional.of(List.copyOf(values)) : Optional.empty();
    }

    /**
     * The scalar's value typed as YAML typed it: {@code null}, {@link String}, {@link Boolean}, {@link Long}
     * (or {@link BigInteger} beyond the long range), {@link BigDecimal}. A quoted scalar is always a
     * String; a timestamp-looking plain scalar stays a String. Records a problem and returns {@code null}
     * for a list, a map, or a number that is not finite; returns {@code null} when missing.
     */
    public Object value() {
        if (!isSet()) {
            return null;
        }
        Optional<ScalarNode> s = scalar("a single value");
        if (s.isEmpty()) {
            return null;
        }
        Optional<String> text = resolvedText(s.get());
        if (text.isEmpty()) {
            return null;
        }
        Tag tag = effectiveTag(s.get());
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return isTrue(text.get());
        }
        if (tag.equals(Tag.INT)) {
            Optional<BigInteger> n = bigInteger("an integer");
            if (n.isEmpty()) {
                return null;
            }
            BigInteger v = n.get();
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return new BigDecimal(text.get().replace("_", ""));
            } catch (NumberFormatException e) {
                problem(subject() + " must be a finite decimal number, got " + describe(), "quote it to keep it as text");
                return null;
            }
        }
        return text.get();
    }

    // ---------------------------------------------------------------- internals

    private Optional<ScalarNode> scalar(String expected) {
        if (!isSet()) {
            return Optional.empty();
        }
        if (node instanceof ScalarNode s) {
            return Optional.of(s);
        }
        problem(subject() + " must be " + expected + ", got " + describe(), null);
        return Optional.empty();
    }

    private Optional<String> resolvedText(ScalarNode s) {
        EnvSubstitution.Result r = doc.substitute(s);
        for (EnvSubstitution.Error error : r.errors()) {
            problem(subject() + ": " + error.message(), error.hint());
        }
        return Optional.ofNullable(r.text());
    }

    private Optional<BigInteger> bigInteger(String expected) {
        Optional<ScalarNode> s = scalar(expected);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> text = resolvedText(s.get());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get();
        if (!effectiveTag(s.get()).equals(Tag.INT)) {
            String hint = s.get().isPlain() ? null : "remove the quotes";
            problem(subject() + " must be " + expected + ", got " + describe(), hint);
            return Optional.empty();
        }
        String digits = t.replace("_", "");
        if (DECIMAL_INT.matcher(t).matches()) {
            return Optional.of(new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits));
        }
        if (HEX_INT.matcher(t).matches()) {
            boolean negative = digits.startsWith("-");
            String hex = digits.substring(digits.indexOf('x') + 1);
            BigInteger v = new BigInteger(hex, 16);
            return Optional.of(negative ? v.negate() : v);
        }
        problem(subject() + " must be " + expected + " written in decimal, got " + describe(),
                "YAML 1.1 reads a leading 0 as octal; write the plain decimal number");
        return Optional.empty();
    }

    private Tag effectiveTag(ScalarNode s) {
        if (s.isPlain() && s.getValue().contains("${")) {
            EnvSubstitution.Result r = doc.substitute(s);
            if (r.text() != null && r.changed()) {
                return RESOLVER.resolve(NodeId.scalar, r.text(), true);
            }
        }
        return s.getTag();
    }

    private static boolean isTrue(String text) {
        return Arrays.asList("true", "yes", "on").contains(text.toLowerCase(Locale.ROOT));
    }

    private String subject() {
        return path.isEmpty() ? "the document" : "'" + path + "'";
    }

    /** What this value is, for a message: the scalar as written (never after substitution), or its kind. */
    private String describe() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            if (v.length() > 60) {
                v = v.substring(0, 57) + "...";
            }
            return "'" + v + "'";
        }
        return "nothing";
    }
}
