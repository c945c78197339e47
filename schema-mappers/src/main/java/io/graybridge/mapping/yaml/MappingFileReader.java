package io.graybridge.mapping.yaml;

import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.ColumnRule.Kind;
import io.graybridge.yaml.ProblemCollector;
import io.graybridge.yaml.Suggestions;
import io.graybridge.yaml.YamlDocument;
import io.graybridge.yaml.YamlNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a mapping file's node tree into table mappings, recording every problem on the way. */
final class MappingFileReader {
    private static final List<String> TOP_KEYS = List.of("version", "tables");
    private static final List<String> TABLE_KEYS = List.of("v1", "v2", "columns");
    private static final List<String> RULE_KEYS = List.of("v1", "v2", "convert", "default", "drop");
    private static final String SHAPES = "a column rule is one of: rename (v1 + v2), convert (v1 + convert, optional v2),"
            + " default (v2 + default), drop (v1 + drop: true)";

    private final YamlDocument doc;
    private final ProblemCollector problems;

    MappingFileReader(YamlDocument doc) {
        this.doc = doc;
        this.problems = doc.problems();
    }

    MappingSet read() {
        YamlNode root = doc.root();
        if (!doc.isParsed()) {
            return new MappingSet(List.of());
        }
        if (doc.isEmpty()) {
            root.problem("the mapping file is empty", "it needs a 'tables' list; see config/mappings/shop.yaml");
            return new MappingSet(List.of());
        }
        root.checkKeys(TOP_KEYS);
        root.get("version").integer(1, 1);
        root.require("tables");

        List<TableMapping> tables = new ArrayList<>();
        Map<Side, Map<String, Integer>> seen = new EnumMap<>(Side.class);
        seen.put(Side.V1, new HashMap<>());
        seen.put(Side.V2, new HashMap<>());
        for (YamlNode table : root.get("tables").items()) {
            int before = problems.size();
            Optional<ColumnPlan> plan = table(table, seen);
            if (plan.isPresent() && problems.size() == before) {
                tables.add(MappingFiles.mapping(plan.get(), table.location()));
            }
        }
        return new MappingSet(tables);
    }

    private Optional<ColumnPlan> table(YamlNode table, Map<Side, Map<String, Integer>> seen) {
        if (!table.isMap()) {
            table.problem("'" + table.path() + "' must be a map with v1, v2 and columns", null);
            return Optional.empty();
        }
        table.checkKeys(TABLE_KEYS);
        Optional<String> v1 = table.require("v1") ? tableName(table.get("v1")) : Optional.empty();
        Optional<String> v2 = table.has("v2") ? tableName(table.get("v2")) : v1;
        if (v1.isEmpty() || v2.isEmpty()) {
            return Optional.empty();
        }
        unique(seen.get(Side.V1), v1.get(), table, "v1 table '" + v1.get() + "' is mapped twice");
        unique(seen.get(Side.V2), v2.get(), table.has("v2") ? table.get("v2") : table,
                "v2 table '" + v2.get() + "' is the target of two mappings");

        List<ColumnRule> rules = new ArrayList<>();
        Map<Side, Map<String, Integer>> columns = new EnumMap<>(Side.class);
        columns.put(Side.V1, new HashMap<>());
        columns.put(Side.V2, new HashMap<>());
        for (YamlNode rule : table.get("columns").items()) {
            rule(rule).ifPresent(r -> {
                for (Side side : Side.values()) {
                    if (r.column(side) != null) {
                        unique(columns.get(side), r.column(side), rule, side.id() + " column '" + r.column(side)
                                + "' of table '" + (side == Side.V1 ? v1.get() : v2.get()) + "' is named by two rules");
                    }
                }
                rules.add(r);
            });
        }
        return Optional.of(new ColumnPlan(v1.get(), v1.get(), v2.get(), rules, true));
    }

    private Optional<ColumnRule> rule(YamlNode rule) {
        if (!rule.isMap()) {
            rule.problem("'" + rule.path() + "' must be a map", SHAPES);
            return Optional.empty();
        }
        rule.checkKeys(RULE_KEYS);
        boolean hasV1 = rule.has("v1");
        boolean hasV2 = rule.has("v2");
        Kind kind;
        List<String> allowed;
        if (rule.has("drop")) {
            kind = Kind.DROP;
            allowed = List.of("v1", "drop");
        } else if (rule.has("default")) {
            kind = Kind.DEFAULT;
            allowed = List.of("v2", "default");
        } else if (rule.has("convert")) {
            kind = Kind.CONVERT;
            allowed = List.of("v1", "v2", "convert");
        } else {
            kind = Kind.RENAME;
            allowed = List.of("v1", "v2");
        }
        List<String> extra = rule.keys().stream().filter(RULE_KEYS::contains).filter(k -> !allowed.contains(k)).toList();
        if (!extra.isEmpty()) {
            rule.problem("a " + kind.name().toLowerCase(Locale.ROOT) + " rule cannot also have "
                    + String.join(" and ", extra.stream().map(k -> "'" + k + "'").toList()), SHAPES);
            return Optional.empty();
        }
        String origin = rule.location();
        switch (kind) {
            case DROP -> {
                Optional<Boolean> drop = rule.get("drop").bool();
                if (drop.isPresent() && !drop.get()) {
                    rule.get("drop").problem("'drop: false' does nothing", "remove the rule: columns not listed pass through");
                    return Optional.empty();
                }
                if (!rule.require("v1")) {
                    return Optional.empty();
                }
                return columnName(rule.get("v1")).map(v1 -> new ColumnRule(kind, v1, null, null, null, origin));
            }
            case DEFAULT -> {
                if (!rule.require("v2")) {
                    return Optional.empty();
                }
                YamlNode value = rule.get("default");
                if (value.isMap() || value.isList()) {
                    value.problem("'" + value.path() + "' must be a single value, got a " + (value.isMap() ? "map" : "list"),
                            "quote it to make it a string");
                    return Optional.empty();
                }
                Object defaultValue = value.value();
                return columnName(rule.get("v2")).map(v2 -> new ColumnRule(kind, null, v2, null, defaultValue, origin));
            }
            case CONVERT -> {
                if (!rule.require("v1")) {
                    return Optional.empty();
                }
                Optional<String> v1 = columnName(rule.get("v1"));
                Optional<String> v2 = hasV2 ? columnName(rule.get("v2")) : v1;
                Optional<Conversion> conversion = conversion(rule.get("convert"));
                if (v1.isEmpty() || v2.isEmpty() || conversion.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new ColumnRule(kind, v1.get(), v2.get(), conversion.get(), null, origin));
            }
            default -> {
                if (hasV1 && !hasV2) {
                    rule.problem("the rule for v1 column '" + rule.get("v1").source() + "' does nothing",
                            "add 'v2: <name>' to rename it, 'convert: <name>' to convert it, or 'drop: true' if v2 has no"
                                    + " such column; columns not listed pass through unchanged");
                    return Optional.empty();
                }
                if (hasV2 && !hasV1) {
                    rule.problem("the rule for v2 column '" + rule.get("v2").source() + "' has no v1 column",
                            "add 'default: <value>' for a column that exists on v2 only, or 'v1: <name>' to rename");
                    return Optional.empty();
                }
                if (!hasV1) {
                    rule.problem("empty column rule", SHAPES);
                    return Optional.empty();
                }
                Optional<String> v1 = columnName(rule.get("v1"));
                Optional<String> v2 = columnName(rule.get("v2"));
                if (v1.isEmpty() || v2.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new ColumnRule(kind, v1.get(), v2.get(), null, null, origin));
            }
        }
    }

    private Optional<Conversion> conversion(YamlNode node) {
        Optional<String> name = node.string();
        if (name.isEmpty()) {
            if (!node.isSet()) {
                node.problem("'" + node.path() + "' needs a conversion name", "known conversions: " + Suggestions.list(Conversions.names()));
            }
            return Optional.empty();
        }
        Optional<Conversion> conversion = Conversions.named(name.get());
        if (conversion.isEmpty()) {
            Set<String> known = Conversions.names();
            node.problem("unknown conversion '" + name.get() + "'",
                    Suggestions.closest(name.get(), known).map(c -> "did you mean '" + c + "'? ").orElse("")
                            + "known conversions: " + Suggestions.list(known));
        }
        return conversion;
    }

    private static Optional<String> tableName(YamlNode node) {
        Optional<String> name = columnName(node);
        if (name.isPresent() && name.get().contains(".")) {
            node.problem("'" + node.path() + "' must be a table name without a schema, got '" + name.get() + "'",
                    "each side's schema comes from the bridge config (sides.<side>.schema)");
            return Optional.empty();
        }
        return name;
    }

    private static Optional<String> columnName(YamlNode node) {
        Optional<String> name = node.string();
        if (name.isPresent() && name.get().isBlank()) {
            node.problem("'" + node.path() + "' must not be blank", null);
            return Optional.empty();
        }
        if (name.isEmpty() && node.exists() && !node.isSet()) {
            node.problem("'" + node.path() + "' needs a name", null);
        }
        return name;
    }

    private static void unique(Map<String, Integer> seen, String name, YamlNode at, String message) {
        Integer first = seen.putIfAbsent(name, at.line());
        if (first != null) {
            at.problem(message + " (first at line " + first + ")", "keep one entry");
        }
    }
}
