package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.spi.TableTranslator;
import io.graybridge.mapping.spi.TableTranslators;
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
    private static final List<String> TABLE_KEYS = List.of("v1", "v2", "key", "columns", "translator", "split", "merge");
    private static final List<String> PART_KEYS = List.of("v1", "v2", "columns", "owns-deletes");
    private static final List<String> RULE_KEYS = List.of("v1", "v2", "convert", "default", "drop", "zone", "flags", "map",
            "unmapped", "compute", "inverse", "one-way", "split", "merge", "separator", "at", "pack-json", "unpack-json");
    private static final String SHAPES = "a column rule is one of: rename (v1 + v2), convert (v1 + convert, optional v2),"
            + " default (v2 + default), drop (v1 + drop: true, optional default), map (v1 + map, optional v2 and unmapped),"
            + " compute (v2 + compute, optional v1 with inverse or one-way: true), split (v1 + split + separator),"
            + " merge (v2 + merge + separator), pack-json (v2 + pack-json), unpack-json (v1 + unpack-json)";
    private static final java.util.regex.Pattern TRANSLATOR_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

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
            List<TableMapping> mappings = table(table, seen);
            if (problems.size() == before) {
                tables.addAll(mappings);
            }
        }
        return new MappingSet(tables);
    }

    private List<TableMapping> table(YamlNode table, Map<Side, Map<String, Integer>> seen) {
        if (!table.isMap()) {
            table.problem("'" + table.path() + "' must be a map with v1, v2 and columns", null);
            return List.of();
        }
        table.checkKeys(TABLE_KEYS);
        if (table.has("split") || table.has("merge")) {
            return group(table, seen);
        }
        Optional<String> v1 = table.require("v1") ? tableName(table.get("v1")) : Optional.empty();
        Optional<String> v2 = table.has("v2") ? tableName(table.get("v2")) : v1;
        if (v1.isEmpty() || v2.isEmpty()) {
            return List.of();
        }
        unique(seen.get(Side.V1), v1.get(), table, "v1 table '" + v1.get() + "' is mapped twice");
        unique(seen.get(Side.V2), v2.get(), table.has("v2") ? table.get("v2") : table,
                "v2 table '" + v2.get() + "' is the target of two mappings");
        List<String> key = keyColumns(table.get("key"));
        if (table.has("translator")) {
            if (table.has("columns")) {
                table.get("columns").problem("a table with a 'translator' cannot also have 'columns'",
                        "the translator does the whole table; remove one of them");
                return List.of();
            }
            return translator(table.get("translator"), v1.get(), v2.get(), table.location()).map(List::of).orElse(List.of());
        }
        List<ColumnRule> rules = rules(table.get("columns"), v1.get(), v2.get());
        return List.of(MappingFiles.mapping(new ColumnPlan(v1.get(), v1.get(), v2.get(), rules, true, key, null),
                table.location()));
    }

    private Optional<TableMapping> translator(YamlNode node, String v1, String v2, String origin) {
        Optional<String> name = node.matching(TRANSLATOR_NAME, "a translator name (a-z, 0-9, '.' and '-')");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<TableTranslator> found = TableTranslators.named(name.get());
        if (found.isEmpty()) {
            java.util.Set<String> known = TableTranslators.names();
            node.problem("no table translator named '" + name.get() + "' was found on the classpath",
                    Suggestions.closest(name.get(), known).map(c -> "did you mean '" + c + "'? ").orElse("")
                            + "available: " + Suggestions.list(known) + "; a translator is a class implementing"
                            + " io.graybridge.mapping.spi.TableTranslator, listed in"
                            + " META-INF/services/io.graybridge.mapping.spi.TableTranslator of a jar on the classpath");
            return Optional.empty();
        }
        TableTranslator t = found.get();
        return Optional.of(new TableMapping(v1, v1, v2, TableTranslators.adapt(t, Direction.FORWARD, v1 + " -> " + v2),
                TableTranslators.adapt(t, Direction.BACKWARD, v2 + " -> " + v1), origin));
    }

    /** A table split ({@code v1} + {@code split}) or merge ({@code v2} + {@code merge}). */
    private List<TableMapping> group(YamlNode table, Map<Side, Map<String, Integer>> seen) {
        boolean split = table.has("split");
        if (split && table.has("merge")) {
            table.problem("a table entry cannot have both 'split' and 'merge'", null);
            return List.of();
        }
        Side whole = split ? Side.V1 : Side.V2;
        Side partsSide = whole.other();
        String partsKey = split ? "split" : "merge";
        for (String k : List.of(partsSide.id(), "columns", "translator")) {
            if (table.has(k)) {
                table.get(k).problem("a " + partsKey + " entry cannot have '" + k + "'",
                        "give each part its own " + partsSide.id() + " table and columns under '" + partsKey + "'");
                return List.of();
            }
        }
        if (!table.require(whole.id(), "key")) {
            return List.of();
        }
        Optional<String> wholeTable = tableName(table.get(whole.id()));
        List<String> key = keyColumns(table.get("key"));
        if (wholeTable.isEmpty() || key.isEmpty()) {
            return List.of();
        }
        unique(seen.get(whole), wholeTable.get(), table, whole.id() + " table '" + wholeTable.get() + "' is mapped twice");
        YamlNode partsNode = table.get(partsKey);
        List<YamlNode> parts = partsNode.items();
        if (parts.size() < 2) {
            partsNode.problem("'" + partsNode.path() + "' needs at least two parts", "a table with one part is a plain mapping");
            return List.of();
        }
        List<String> partTables = new ArrayList<>();
        String owner = null;
        List<Optional<ColumnPlan>> plans = new ArrayList<>();
        for (YamlNode part : parts) {
            if (!part.isMap()) {
                part.problem("'" + part.path() + "' must be a map with " + partsSide.id() + " and columns", null);
                return List.of();
            }
            part.checkKeys(PART_KEYS);
            if (part.has(whole.id())) {
                part.get(whole.id()).problem("a part names only its " + partsSide.id() + " table", "remove '" + whole.id() + "'");
            }
            Optional<String> name = part.require(partsSide.id()) ? tableName(part.get(partsSide.id())) : Optional.empty();
            if (name.isEmpty()) {
                continue;
            }
            unique(seen.get(partsSide), name.get(), part.get(partsSide.id()),
                    partsSide.id() + " table '" + name.get() + "' is mapped twice");
            partTables.add(name.get());
            if (part.get("owns-deletes").bool().orElse(false)) {
                if (owner != null) {
                    part.get("owns-deletes").problem("only one part can own deletes ('" + owner + "' already does)", null);
                }
                owner = name.get();
            }
        }
        if (partTables.size() != parts.size()) {
            return List.of();
        }
        if (owner == null) {
            owner = partTables.get(0);
        }
        List<String> ordered = new ArrayList<>();
        ordered.add(owner);
        for (String t : partTables) {
            if (!t.equals(owner)) {
                ordered.add(t);
            }
        }
        TableGroup group = new TableGroup(wholeTable.get(), split ? TableGroup.Kind.SPLIT : TableGroup.Kind.MERGE, whole,
                wholeTable.get(), key, ordered, owner, table.location());
        List<TableMapping> mappings = new ArrayList<>();
        for (String t : ordered) {
            YamlNode part = parts.get(partTables.indexOf(t));
            String v1 = split ? wholeTable.get() : t;
            String v2 = split ? t : wholeTable.get();
            List<ColumnRule> rules = new ArrayList<>(rules(part.get("columns"), v1, v2));
            List<String> v1Key = new ArrayList<>();
            for (String k : key) {
                Optional<ColumnRule> naming = rules.stream().filter(r -> r.columns(whole).contains(k)).findFirst();
                if (naming.isEmpty()) {
                    rules.add(0, new ColumnRule(Kind.RENAME, k, k, null, null, part.location()));
                    v1Key.add(k);
                } else if (naming.get().kind() != Kind.RENAME) {
                    part.problem("key column '" + k + "' of " + whole.id() + " table '" + wholeTable.get()
                            + "' must be carried unchanged or renamed in part '" + t + "'", "use a rename rule for it");
                } else {
                    v1Key.add(naming.get().v1Column());
                }
            }
            String name = v1 + "->" + v2;
            mappings.add(MappingFiles.mapping(new ColumnPlan(name, v1, v2, rules, false, v1Key, group), part.location()));
        }
        return mappings;
    }

    private List<String> keyColumns(YamlNode node) {
        if (!node.isSet()) {
            return List.of();
        }
        if (node.isScalar()) {
            return columnName(node).map(List::of).orElse(List.of());
        }
        Optional<List<String>> list = node.stringList();
        if (list.isPresent() && list.get().isEmpty()) {
            node.problem("'" + node.path() + "' must name at least one column", null);
        }
        return list.orElse(List.of());
    }

    private List<ColumnRule> rules(YamlNode columnsNode, String v1Table, String v2Table) {
        List<ColumnRule> rules = new ArrayList<>();
        Map<Side, Map<String, Integer>> columns = new EnumMap<>(Side.class);
        columns.put(Side.V1, new HashMap<>());
        columns.put(Side.V2, new HashMap<>());
        for (YamlNode rule : columnsNode.items()) {
            rule(rule).ifPresent(r -> {
                for (Side side : Side.values()) {
                    for (String c : r.columns(side)) {
                        unique(columns.get(side), c, rule, side.id() + " column '" + c
                                + "' of table '" + (side == Side.V1 ? v1Table : v2Table) + "' is named by two rules");
                    }
                }
                rules.add(r);
            });
        }
        return rules;
    }

    private Optional<ColumnRule> rule(YamlNode rule) {
        if (rule.isScalar()) {
            return columnName(rule).map(c -> new ColumnRule(Kind.RENAME, c, c, null, null, rule.location()));
        }
        if (!rule.isMap()) {
            rule.problem("'" + rule.path() + "' must be a map or a column name", SHAPES);
            return Optional.empty();
        }
        rule.checkKeys(RULE_KEYS);
        boolean hasV1 = rule.has("v1");
        boolean hasV2 = rule.has("v2");
        Kind kind;
        List<String> allowed;
        if (rule.has("drop")) {
            kind = Kind.DROP;
            allowed = List.of("v1", "drop", "default");
        } else if (rule.has("default")) {
            kind = Kind.DEFAULT;
            allowed = List.of("v2", "default");
        } else if (rule.has("convert")) {
            kind = Kind.CONVERT;
            allowed = List.of("v1", "v2", "convert", "zone", "flags");
        } else if (rule.has("map")) {
            kind = Kind.VALUE_MAP;
            allowed = List.of("v1", "v2", "map", "unmapped");
        } else if (rule.has("compute")) {
            kind = Kind.COMPUTE;
            allowed = List.of("v1", "v2", "compute", "inverse", "one-way");
        } else if (rule.has("split")) {
            kind = Kind.SPLIT;
            allowed = List.of("v1", "split", "separator", "at");
        } else if (rule.has("merge")) {
            kind = Kind.MERGE;
            allowed = List.of("v2", "merge", "separator", "at");
        } else if (rule.has("pack-json")) {
            kind = Kind.PACK_JSON;
            allowed = List.of("v2", "pack-json");
        } else if (rule.has("unpack-json")) {
            kind = Kind.UNPACK_JSON;
            allowed = List.of("v1", "unpack-json");
        } else {
            kind = Kind.RENAME;
            allowed = List.of("v1", "v2");
        }
        List<String> extra = rule.keys().stream().filter(RULE_KEYS::contains).filter(k -> !allowed.contains(k)).toList();
        if (!extra.isEmpty()) {
            rule.problem("a " + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + " rule cannot also have "
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
                boolean hasDefault = rule.has("default");
                Object value = hasDefault ? scalarValue(rule.get("default")) : null;
                return columnName(rule.get("v1")).map(v1 -> new ColumnRule(kind, v1, null, null, value, origin,
                        List.of(v1), List.of(), new ColumnLogics.Drop(v1, hasDefault, value)));
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
                Optional<Conversion> conversion = conversion(rule);
                if (v1.isEmpty() || v2.isEmpty() || conversion.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new ColumnRule(kind, v1.get(), v2.get(), conversion.get(), null, origin));
            }
            case VALUE_MAP -> {
                return valueMap(rule, hasV2);
            }
            case COMPUTE -> {
                return compute(rule, hasV1);
            }
            case SPLIT, MERGE -> {
                Side whole = kind == Kind.SPLIT ? Side.V1 : Side.V2;
                String listKey = kind == Kind.SPLIT ? "split" : "merge";
                if (!rule.require(whole.id(), "separator")) {
                    return Optional.empty();
                }
                Optional<String> column = columnName(rule.get(whole.id()));
                Optional<List<String>> parts = columnList(rule.get(listKey));
                Optional<String> separator = rule.get("separator").string();
                if (separator.isPresent() && separator.get().isEmpty()) {
                    rule.get("separator").problem("'" + rule.get("separator").path() + "' must not be empty", null);
                    return Optional.empty();
                }
                boolean atLast = rule.get("at").oneOf(List.of("first", "last")).map("last"::equals).orElse(false);
                if (column.isEmpty() || parts.isEmpty() || separator.isEmpty()) {
                    return Optional.empty();
                }
                ColumnLogic logic = new ColumnLogics.Joined(whole, column.get(), parts.get(), separator.get(), atLast);
                return Optional.of(multi(kind, whole, column.get(), parts.get(), origin, logic));
            }
            case PACK_JSON, UNPACK_JSON -> {
                Side whole = kind == Kind.PACK_JSON ? Side.V2 : Side.V1;
                String listKey = kind == Kind.PACK_JSON ? "pack-json" : "unpack-json";
                if (!rule.require(whole.id())) {
                    return Optional.empty();
                }
                Optional<String> column = columnName(rule.get(whole.id()));
                Optional<List<String>> parts = columnList(rule.get(listKey));
                if (column.isEmpty() || parts.isEmpty()) {
                    return Optional.empty();
                }
                ColumnLogic logic = new ColumnLogics.Json(whole, column.get(), parts.get());
                return Optional.of(multi(kind, whole, column.get(), parts.get(), origin, logic));
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
                            "add 'default: <value>' or 'compute: <expression>' for a column that exists on v2 only,"
                                    + " or 'v1: <name>' to rename");
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

    private static ColumnRule multi(Kind kind, Side whole, String column, List<String> parts, String origin, ColumnLogic logic) {
        List<String> v1 = whole == Side.V1 ? List.of(column) : parts;
        List<String> v2 = whole == Side.V1 ? parts : List.of(column);
        return new ColumnRule(kind, v1.get(0), v2.get(0), null, null, origin, v1, v2, logic);
    }

    private Optional<List<String>> columnList(YamlNode node) {
        if (!node.isList()) {
            node.problem("'" + node.path() + "' must be a list of at least two column names", null);
            return Optional.empty();
        }
        Optional<List<String>> list = node.stringList();
        if (list.isPresent() && list.get().size() < 2) {
            node.problem("'" + node.path() + "' must list at least two columns", null);
            return Optional.empty();
        }
        if (list.isPresent() && new java.util.HashSet<>(list.get()).size() != list.get().size()) {
            node.problem("'" + node.path() + "' names a column twice", null);
            return Optional.empty();
        }
        return list;
    }

    private Optional<ColumnRule> valueMap(YamlNode rule, boolean hasV2) {
        if (!rule.require("v1")) {
            return Optional.empty();
        }
        Optional<String> v1 = columnName(rule.get("v1"));
        Optional<String> v2 = hasV2 ? columnName(rule.get("v2")) : v1;
        YamlNode mapNode = rule.get("map");
        if (!mapNode.isMap() || mapNode.entries().isEmpty()) {
            mapNode.problem("'" + mapNode.path() + "' must be a map of v1 values to v2 values, e.g. {A: active, I: inactive}", null);
            return Optional.empty();
        }
        Map<Object, Object> map = new java.util.LinkedHashMap<>();
        Map<Object, String> seenValues = new HashMap<>();
        boolean ok = true;
        for (Map.Entry<String, YamlNode> e : mapNode.entries().entrySet()) {
            Object from = typedKey(e.getKey());
            YamlNode to = e.getValue();
            if (!to.isScalar()) {
                to.problem("'" + to.path() + "' must be a single value", "quote it to make it a string");
                ok = false;
                continue;
            }
            Object value = to.value();
            String earlier = seenValues.putIfAbsent(ColumnLogics.ValueMap.norm(value), e.getKey());
            if (earlier != null) {
                to.problem("v2 value " + io.graybridge.mapping.Values.render(value) + " is the image of both '" + earlier
                        + "' and '" + e.getKey() + "': the map could not be read backward", "map each v1 value to its own v2 value");
                ok = false;
            }
            map.put(from, value);
        }
        YamlNode unmappedNode = rule.get("unmapped");
        ColumnLogics.Unmapped unmapped = ColumnLogics.Unmapped.ERROR;
        Object v1Default = null;
        Object v2Default = null;
        if (unmappedNode.isMap()) {
            unmappedNode.checkKeys(List.of("v1", "v2"));
            if (!unmappedNode.require("v1", "v2")) {
                return Optional.empty();
            }
            unmapped = ColumnLogics.Unmapped.DEFAULT;
            v1Default = scalarValue(unmappedNode.get("v1"));
            v2Default = scalarValue(unmappedNode.get("v2"));
        } else if (unmappedNode.isSet()) {
            Optional<String> answer = unmappedNode.oneOf(List.of("error", "keep"));
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            unmapped = answer.get().equals("keep") ? ColumnLogics.Unmapped.KEEP : ColumnLogics.Unmapped.ERROR;
        }
        if (!ok || v1.isEmpty() || v2.isEmpty()) {
            return Optional.empty();
        }
        ColumnLogic logic = new ColumnLogics.ValueMap(v1.get(), v2.get(), map, unmapped, v1Default, v2Default);
        return Optional.of(new ColumnRule(Kind.VALUE_MAP, v1.get(), v2.get(), null, null, rule.location(),
                List.of(v1.get()), List.of(v2.get()), logic));
    }

    /** A map key as YAML would type the same plain scalar: integers, booleans, decimals, else text. */
    private static Object typedKey(String key) {
        if (key.matches("-?(0|[1-9][0-9]*)")) {
            return new java.math.BigInteger(key).bitLength() < 64 ? (Object) Long.parseLong(key) : new java.math.BigInteger(key);
        }
        if (key.equals("true") || key.equals("false")) {
            return Boolean.parseBoolean(key);
        }
        if (key.matches("-?[0-9]+\\.[0-9]+")) {
            return new java.math.BigDecimal(key);
        }
        return key;
    }

    private Object scalarValue(YamlNode value) {
        if (value.isMap() || value.isList()) {
            value.problem("'" + value.path() + "' must be a single value, got a " + (value.isMap() ? "map" : "list"),
                    "quote it to make it a string");
            return null;
        }
        return value.value();
    }

    private Optional<ColumnRule> compute(YamlNode rule, boolean hasV1) {
        if (!rule.require("v2")) {
            return Optional.empty();
        }
        Optional<String> v2 = columnName(rule.get("v2"));
        Optional<String> v1 = hasV1 ? columnName(rule.get("v1")) : Optional.empty();
        Optional<SafeExpression> forward = expression(rule.get("compute"));
        boolean oneWay = rule.get("one-way").bool().orElse(false);
        Optional<SafeExpression> inverse = Optional.empty();
        if (rule.has("inverse")) {
            if (!hasV1) {
                rule.get("inverse").problem("an inverse needs the v1 column it computes", "add 'v1: <column>'");
                return Optional.empty();
            }
            if (oneWay) {
                rule.get("one-way").problem("a rule with an inverse is not one-way", "remove 'one-way' or 'inverse'");
                return Optional.empty();
            }
            inverse = expression(rule.get("inverse"));
            if (inverse.isEmpty()) {
                return Optional.empty();
            }
        } else if (hasV1 && !oneWay) {
            rule.problem("the computed column '" + rule.get("v2").source() + "' replaces v1 column '"
                    + rule.get("v1").source() + "' but has no way back",
                    "add 'inverse: <expression over v2 columns>' or declare 'one-way: true' (then v2 changes never reach "
                            + rule.get("v1").source() + " on v1)");
            return Optional.empty();
        }
        if (v2.isEmpty() || forward.isEmpty() || (hasV1 && v1.isEmpty())) {
            return Optional.empty();
        }
        ColumnLogic logic = new ColumnLogics.Compute(v1.orElse(null), v2.get(), forward.get(), inverse.orElse(null));
        return Optional.of(new ColumnRule(Kind.COMPUTE, v1.orElse(null), v2.get(), null, null, rule.location(),
                v1.map(List::of).orElse(List.of()), List.of(v2.get()), logic));
    }

    private Optional<SafeExpression> expression(YamlNode node) {
        Optional<String> text = node.string();
        if (text.isEmpty()) {
            if (!node.isSet()) {
                node.problem("'" + node.path() + "' needs an expression", null);
            }
            return Optional.empty();
        }
        try {
            return Optional.of(SafeExpression.compile(text.get()));
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage(), "see README.md, \"Mapping language\", for what an expression may use");
            return Optional.empty();
        }
    }

    private Optional<Conversion> conversion(YamlNode rule) {
        YamlNode node = rule.get("convert");
        Optional<String> name = node.string();
        Optional<String> setting = name.flatMap(Conversions::setting);
        for (String k : List.of("zone", "flags")) {
            if (rule.has(k) && !setting.equals(Optional.of(k))) {
                rule.get(k).problem("conversion '" + name.orElse("") + "' has no setting '" + k + "'", null);
                return Optional.empty();
            }
        }
        if (setting.isPresent()) {
            return conversionWithSetting(rule, name.get(), setting.get());
        }
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

    private Optional<Conversion> conversionWithSetting(YamlNode rule, String name, String setting) {
        if (!rule.require(setting)) {
            return Optional.empty();
        }
        YamlNode node = rule.get(setting);
        if (setting.equals("zone")) {
            Optional<String> zone = node.string();
            if (zone.isEmpty()) {
                return Optional.empty();
            }
            java.time.ZoneId id;
            try {
                id = java.time.ZoneId.of(zone.get());
            } catch (java.time.DateTimeException e) {
                node.problem("unknown time zone '" + zone.get() + "'", "use a region such as Europe/Paris, or UTC");
                return Optional.empty();
            }
            return Optional.of(name.equals(Conversions.TIMESTAMP_TO_TIMESTAMPTZ)
                    ? Conversions.timestampToTimestamptz(id) : Conversions.timestamptzToTimestamp(id));
        }
        if (!node.isMap()) {
            node.problem("'" + node.path() + "' must be a map: {true: Y, false: N}", null);
            return Optional.empty();
        }
        node.checkKeys(List.of("true", "false"));
        if (!node.require("true", "false")) {
            return Optional.empty();
        }
        Optional<String> t = node.get("true").string();
        Optional<String> f = node.get("false").string();
        if (t.isEmpty() || f.isEmpty()) {
            return Optional.empty();
        }
        if (t.get().equals(f.get())) {
            node.problem("the true and false flags must differ", null);
            return Optional.empty();
        }
        return Optional.of(name.equals(Conversions.BOOLEAN_TO_CHAR)
                ? Conversions.booleanToChar(t.get(), f.get()) : Conversions.charToBoolean(t.get(), f.get()));
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
