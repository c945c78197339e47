package io.graybridge.bridge.config;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The declaration of one config setting: key, type, default, validation and description, in one place
 * (in the manner of Kafka's {@code ConfigDef} and Debezium's {@code Field}). All settings are listed in
 * {@link Settings}; the loader reads through them and the README's reference table is generated from them.
 *
 * <p>A key is a dotted path; a segment {@code <side>} stands for {@code v1} and {@code v2}, {@code <lane>}
 * for {@code v1-to-v2} and {@code v2-to-v1}. Instances are immutable.
 *
 * @param <T> the value's Java type
 */
public final class Setting<T> {
    /** The placeholder segment for a side. */
    public static final String SIDE = "<side>";
    /** The placeholder segment for a lane. */
    public static final String LANE = "<lane>";

    private final String key;
    private final String type;
    private final Function<YamlNode, Optional<T>> reader;
    private final boolean required;
    private final Function<Scope, T> defaultValue;
    private final String defaultDoc;
    private final String description;
    private final boolean secret;
    private final List<Check<T>> checks;

    private record Check<T>(Predicate<T> test, String message, String hint) {}

    private Setting(String key, String type, Function<YamlNode, Optional<T>> reader, boolean required,
            Function<Scope, T> defaultValue, String defaultDoc, String description, boolean secret, List<Check<T>> checks) {
        this.key = key;
        this.type = type;
        this.reader = reader;
        this.required = required;
        this.defaultValue = defaultValue;
        this.defaultDoc = defaultDoc;
        this.description = description;
        this.secret = secret;
        this.checks = List.copyOf(checks);
    }

    // ---------------------------------------------------------------- declaring

    static Setting<String> string(String key) {
        return new Setting<>(key, "string", YamlNode::string, false, null, null, null, false, List.of());
    }

    /** A string that must match {@code regex} entirely. */
    static Setting<String> string(String key, String regex, String shape) {
        Pattern pattern = Pattern.compile(regex);
        return new Setting<>(key, "string `" + regex + "`", n -> n.matching(pattern, shape), false, null, null, null,
                false, List.of());
    }

    /** A credential: never echoed in a problem, masked when the config is described. */
    static Setting<String> secret(String key) {
        return new Setting<>(key, "string (secret)", YamlNode::secretString, false, null, null, null, true, List.of());
    }

    static Setting<Integer> integer(String key, int min, int max) {
        return new Setting<>(key, "int, " + min + ".." + max, n -> n.integer(min, max), false, null, null, null,
                false, List.of());
    }

    static Setting<Boolean> bool(String key) {
        return new Setting<>(key, "boolean", YamlNode::bool, false, null, null, null, false, List.of());
    }

    static <E extends Enum<E>> Setting<E> enumeration(String key, Class<E> type) {
        String values = Arrays.stream(type.getEnumConstants()).map(YamlNode::enumName).collect(Collectors.joining(", "));
        return new Setting<>(key, "one of: " + values, n -> n.enumValue(type), false, null, null, null, false, List.of());
    }

    static Setting<List<String>> stringList(String key) {
        return new Setting<>(key, "list of strings", YamlNode::stringList, false, null, null, null, false, List.of());
    }

    /** A map of names to constants of {@code type}: {@code {orders: skip, customers: pause}}. */
    static <E extends Enum<E>> Setting<Map<String, E>> enumMap(String key, String keyDoc, Class<E> type) {
        String values = Arrays.stream(type.getEnumConstants()).map(YamlNode::enumName).collect(Collectors.joining(", "));
        return new Setting<>(key, "map of " + keyDoc + " to one of: " + values, n -> {
            if (!n.expectMap()) {
                return Optional.empty();
            }
            Map<String, E> out = new java.util.LinkedHashMap<>();
            boolean valid = true;
            for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
                Optional<E> value = e.getValue().enumValue(type);
                valid &= value.isPresent();
                value.ifPresent(v -> out.put(e.getKey(), v));
            }
            return valid ? Optional.of(Map.copyOf(out)) : Optional.empty();
        }, false, null, null, null, false, List.of());
    }

    Setting<T> required() {
        return new Setting<>(key, type, reader, true, null, null, description, secret, checks);
    }

    Setting<T> defaultValue(T value) {
        String doc = "`" + (value instanceof Enum<?> e ? YamlNode.enumName(e) : String.valueOf(value)) + "`";
        return new Setting<>(key, type, reader, false, s -> value, doc, description, secret, checks);
    }

    /** A default computed from the scope (the bridge name, the side or lane, settings read before); {@code doc} is Markdown. */
    Setting<T> defaultValue(Function<Scope, T> value, String doc) {
        return new Setting<>(key, type, reader, false, value, doc, description, secret, checks);
    }

    /** An optional setting with no default: {@code doc} (Markdown) says what its absence means. */
    Setting<T> optional(String doc) {
        return new Setting<>(key, type, reader, false, s -> null, doc, description, secret, checks);
    }

    Setting<T> check(Predicate<T> test, String message, String hint) {
        List<Check<T>> all = new ArrayList<>(checks);
        all.add(new Check<>(test, message, hint));
        return new Setting<>(key, type, reader, required, defaultValue, defaultDoc, description, secret, all);
    }

    Setting<T> doc(String text) {
        return new Setting<>(key, type, reader, required, defaultValue, defaultDoc, text, secret, checks);
    }

    // ---------------------------------------------------------------- describing

    /** The dotted key, with {@code <side>} / {@code <lane>} placeholders. */
    public String key() {
        return key;
    }

    /** The type as the reference table shows it ({@code int, 1..64}). */
    public String type() {
        return type;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The default as the reference table shows it; {@code null} when required or when there is none. */
    public String defaultDoc() {
        return defaultDoc;
    }

    /** What the setting does, for operators; {@code null} only if someone forgot (a test fails then). */
    public String description() {
        return description;
    }

    /** The key with the scope's side and lane filled in: {@code sides.v1.pool-size}. */
    public String key(Scope scope) {
        return String.join(".", path(scope));
    }

    private String[] path(Scope scope) {
        String[] segments = key.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(SIDE)) {
                segments[i] = Objects.requireNonNull(scope.side(), "side").id();
            } else if (segments[i].equals(LANE)) {
                segments[i] = Objects.requireNonNull(scope.lane(), "lane").laneName();
            }
        }
        return segments;
    }

    // ---------------------------------------------------------------- reading

    /** The node this setting reads in {@code root}, for the scope's side or lane. */
    public YamlNode node(YamlNode root, Scope scope) {
        return root.at(path(scope));
    }

    /**
     * Reads this setting: the value in the file, or the default when absent. Records a problem (and
     * returns the default, possibly {@code null}) when the value is invalid or a required one is absent.
     */
    public T read(YamlNode root, Scope scope) {
        YamlNode node = node(root, scope);
        if (!node.isSet()) {
            if (required) {
                node.problem("missing required key '" + node.path() + "'", description);
                return null;
            }
            return fallback(scope);
        }
        Optional<T> value = reader.apply(node);
        if (value.isEmpty()) {
            return fallback(scope);
        }
        for (Check<T> check : checks) {
            if (!check.test().test(value.get())) {
                node.problem("'" + node.path() + "' " + check.message(), check.hint());
                return fallback(scope);
            }
        }
        return value.get();
    }

    private T fallback(Scope scope) {
        return defaultValue == null ? null : defaultValue.apply(scope);
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * Where a setting is read: the side or lane filling the key's placeholder, the bridge name and the
     * values read so far (for defaults that depend on them).
     *
     * @param bridgeName the bridge's name as read (may be {@code null} when invalid)
     * @param side the side for {@code <side>} keys, or {@code null}
     * @param lane the lane for {@code <lane>} keys, or {@code null}
     * @param values settings already read in this scope
     */
    public record Scope(String bridgeName, Side side, Direction lane, Map<Setting<?>, Object> values) {

        public Scope {
            values = Map.copyOf(new HashMap<>(values)); // no nulls in Map.copyOf: callers only add present values
        }

        public static Scope top(String bridgeName) {
            return new Scope(bridgeName, null, null, Map.of());
        }

        public Scope forSide(Side s) {
            return new Scope(bridgeName, s, null, Map.of());
        }

        public Scope forLane(Direction d) {
            return new Scope(bridgeName, null, d, Map.of());
        }

        /** This scope plus {@code setting = value} (nothing is added for a {@code null} value). */
        public <T> Scope with(Setting<T> setting, T value) {
            if (value == null) {
                return this;
            }
            Map<Setting<?>, Object> more = new HashMap<>(values);
            more.put(setting, value);
            return new Scope(bridgeName, side, lane, more);
        }

        /** The value read for {@code setting} in this scope, or {@code null}. */
        @SuppressWarnings("unchecked")
        public <T> T get(Setting<T> setting) {
            return (T) values.get(setting);
        }
    }
}
