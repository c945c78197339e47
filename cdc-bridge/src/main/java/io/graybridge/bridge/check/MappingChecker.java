package io.graybridge.bridge.check;

import io.graybridge.bridge.apply.TargetValues;
import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SchemaInspector;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.roundtrip.RoundTrip;
import io.graybridge.mapping.spi.TableTranslators;
import io.graybridge.mapping.yaml.ColumnPlan;
import io.graybridge.mapping.yaml.ColumnRule;
import io.graybridge.mapping.yaml.MappingDescriptions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks mappings against the live schemas of both sides and proves their round trips. Read-only: it
 * reads the catalogs and a sample of rows, and writes nothing on either side.
 *
 * <p>For each mapping: (1) validation: both tables exist, every column a rule names or an expression reads
 * exists, every column a translation writes exists on the target, every NOT NULL target column without a
 * default is produced (not checked into the whole table of a split or merge, whose parts each carry some
 * of its columns), and the source key produces the target key; (2) round trips
 * {@code backward(forward(r)) == r} and {@code forward(backward(r)) == r} on generated rows
 * ({@link ValueGenerator}) and on sampled rows ({@link RowSampler}), checking that every translated value
 * fits its target column's type. A column that fails is reported once per trip with its first example.
 */
public final class MappingChecker {
    /**
     * @param cases generated rows per mapping and direction
     * @param sample sampled rows per mapping and side
     * @param seed seed of the generator
     */
    public record Options(int cases, int sample, long seed) {}

    /** A column that cannot round-trip: the trip ({@code v1->v2->v1}), where the row came from, one example. */
    public record Lossy(String column, String trip, String source, String example) {}

    /** What the check found for one mapping. */
    public record Report(
            TableMapping mapping,
            List<String> rules,
            List<String> problems,
            Map<Direction, Integer> generated,
            Map<Direction, Integer> sampled,
            List<Lossy> lossy,
            Map<Side, Set<String>> notCarried,
            List<String> oneWay) {

        public boolean invalid() {
            return !problems.isEmpty();
        }

        public boolean clean() {
            return problems.isEmpty() && lossy.isEmpty();
        }
    }

    private final Map<Side, SideDatabase> dbs;
    private final Options options;
    private final Map<String, Optional<TableInfo>> tables = new HashMap<>();

    public MappingChecker(SideDatabase v1, SideDatabase v2, Options options) {
        this.dbs = Map.of(Side.V1, v1, Side.V2, v2);
        this.options = options;
    }

    public List<Report> check(List<TableMapping> mappings) {
        List<Report> reports = new ArrayList<>();
        for (TableMapping m : mappings) {
            reports.add(check(m));
        }
        return reports;
    }

    private Optional<TableInfo> table(Side side, String name) {
        SideDatabase db = dbs.get(side);
        return tables.computeIfAbsent(side.id() + "." + name, k -> new SchemaInspector(db).table(db.schema(), name));
    }

    Report check(TableMapping m) {
        Optional<ColumnPlan> plan = MappingDescriptions.plan(m);
        List<String> rules = new ArrayList<>();
        plan.ifPresent(p -> p.rules().forEach(r -> rules.add(r.logic().describe())));
        TableTranslators.unwrap(m.forward()).ifPresent(t -> rules.add("translator '" + t.name() + "' (" + t.getClass().getName() + ")"));
        if (rules.isEmpty()) {
            rules.add("identity: same columns on both sides");
        }
        Optional<TableGroup> group = MappingSet.group(m);
        group.ifPresent(g -> rules.add(0, g.kind().name().toLowerCase(Locale.ROOT) + " of " + g.wholeSide().id() + " "
                + g.wholeTable() + " into " + String.join(" + ", g.partTables()) + " (deletes owned by " + g.deleteOwner() + ")"));
        List<String> oneWay = plan.map(p -> p.oneWay().stream().map(r -> r.logic().describe() + " [" + r.origin() + "]").toList())
                .orElse(List.of());

        List<String> problems = new ArrayList<>();
        Map<Side, TableInfo> info = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Optional<TableInfo> t = table(side, m.table(side));
            if (t.isEmpty()) {
                problems.add(side.id() + " table " + dbs.get(side).schema() + "." + m.table(side) + " does not exist");
            } else if (t.get().primaryKey().isEmpty()) {
                problems.add(side.id() + " table " + t.get().qualifiedName() + " has no primary key");
            } else {
                info.put(side, t.get());
            }
        }
        Map<Direction, Integer> generated = new EnumMap<>(Direction.class);
        Map<Direction, Integer> sampled = new EnumMap<>(Direction.class);
        Map<Side, Set<String>> notCarried = new EnumMap<>(Side.class);
        List<Lossy> lossy = new ArrayList<>();
        if (info.size() == 2) {
            validate(m, plan, group, info, problems);
        }
        if (problems.isEmpty()) {
            Map<String, Lossy> seen = new LinkedHashMap<>();
            for (Direction d : Direction.values()) {
                TableInfo src = info.get(d.source());
                TableInfo dst = info.get(d.target());
                Set<String> kept = new LinkedHashSet<>();
                Map<String, List<String>> labels = new HashMap<>();
                RowSampler sampler = new RowSampler(dbs.get(d.source()));
                for (ColumnInfo c : src.columns()) {
                    labels.put(c.name(), sampler.enumLabels(c));
                }
                ValueGenerator gen = new ValueGenerator(options.seed() + d.ordinal());
                Dialect from = dbs.get(d.source()).dialect();
                for (int i = 0; i < options.cases(); i++) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (ColumnInfo c : src.columns()) {
                        // values as capture gives them for the column's type on its engine
                        ColumnInfo as = new ColumnInfo(c.name(), TypePairs.generatorType(from, c.type()), c.nullable(),
                                c.hasDefault());
                        values.put(c.name(), gen.value(as, labels.get(c.name()), i));
                    }
                    trip(m, d, Row.of(values), dst, "generated", seen, kept);
                }
                generated.put(d, options.cases());
                List<Row> rows = sampler.sample(src, options.sample());
                for (Row r : rows) {
                    trip(m, d, r, dst, "sampled", seen, kept);
                }
                sampled.put(d, rows.size());
                notCarried.put(d.source(), kept);
                typePairs(m, d, src, dst, seen);
            }
            lossy.addAll(seen.values());
        }
        return new Report(m, rules, problems, generated, sampled, lossy, notCarried, oneWay);
    }

    private static String trip(Direction d) {
        return d.source().id() + "->" + d.target().id() + "->" + d.source().id();
    }

    private void trip(TableMapping m, Direction d, Row row, TableInfo dst, String source, Map<String, Lossy> seen, Set<String> kept) {
        RoundTrip.Outcome outcome = RoundTrip.of(m, d, row);
        for (RoundTrip.Loss loss : outcome.losses()) {
            seen.putIfAbsent(trip(d) + " " + loss.column(), new Lossy(loss.column(), trip(d), source, loss.describe()));
        }
        kept.addAll(outcome.notCarried());
        Row there;
        try {
            there = m.translate(d, row);
        } catch (RuntimeException e) {
            Row rest = row; // reported as a loss above; check the types of what the other columns give
            for (RoundTrip.Loss loss : outcome.losses()) {
                rest = rest.without(loss.column());
            }
            try {
                there = m.translate(d, rest);
            } catch (RuntimeException again) {
                return;
            }
        }
        Dialect to = dbs.get(d.target()).dialect();
        for (Map.Entry<String, Object> e : there.asMap().entrySet()) {
            Optional<ColumnInfo> c = dst.column(e.getKey());
            Object value = e.getValue();
            if (c.isPresent() && value != null) {
                try {
                    value = TargetValues.forColumn(to, c.get(), value); // what the writer makes of it
                } catch (IllegalArgumentException bad) {
                    seen.putIfAbsent(d.target().id() + " type " + e.getKey(), new Lossy(e.getKey(), d.laneName() + " (type)",
                            source, "gives " + Values.render(e.getValue()) + " for " + d.target().id() + " column type "
                                    + c.get().type() + ": " + bad.getMessage()));
                    continue;
                }
            }
            if (c.isPresent() && value != null && !fits(c.get(), value)) {
                seen.putIfAbsent(d.target().id() + " type " + e.getKey(), new Lossy(e.getKey(), d.laneName() + " (type)", source,
                        "gives " + Values.render(e.getValue()) + " (" + e.getValue().getClass().getSimpleName() + ") for "
                                + d.target().id() + " column type " + c.get().type()));
            }
        }
    }

    /**
     * Each column the mapping carries unchanged from {@code src} into {@code dst} (same name, or a rename; found by
     * translating a row holding only that column with a probe value), with its two declared types: a pair whose
     * values cannot all come back as they were ({@link TypePairs}) is reported LOSSY with the table, column, both
     * types and why.
     */
    private void typePairs(TableMapping m, Direction d, TableInfo src, TableInfo dst, Map<String, Lossy> seen) {
        Map<String, String> srcCharsets = charsets(d.source(), src);
        Map<String, String> dstCharsets = charsets(d.target(), dst);
        Dialect from = dbs.get(d.source()).dialect();
        Dialect to = dbs.get(d.target()).dialect();
        for (ColumnInfo c : src.columns()) {
            String probe = "graybridge-type-probe-" + c.name();
            Row there;
            try {
                there = m.translate(d, Row.of(java.util.Collections.singletonMap(c.name(), probe)));
            } catch (RuntimeException e) {
                continue; // a rule that needs other columns or converts the value: the generated rows check it
            }
            for (Map.Entry<String, Object> e : there.asMap().entrySet()) {
                Optional<ColumnInfo> target = dst.column(e.getKey());
                if (!probe.equals(e.getValue()) || target.isEmpty()) {
                    continue;
                }
                Optional<String> why = TypePairs.lossy(new TypePairs.Type(from, c.type(), srcCharsets.get(c.name())),
                        new TypePairs.Type(to, target.get().type(), dstCharsets.get(e.getKey())));
                why.ifPresent(w -> seen.putIfAbsent(trip(d) + " types " + c.name(), new Lossy(c.name(), trip(d), "types",
                        "LOSSY " + d.source().id() + " " + src.qualifiedName() + "." + c.name() + " " + c.type() + " -> "
                                + d.target().id() + " " + dst.qualifiedName() + "." + e.getKey() + " " + target.get().type()
                                + ": " + w)));
            }
        }
    }

    /** The character set of each text column of a MariaDB table (none on PostgreSQL, whose text is UTF-8). */
    private Map<String, String> charsets(Side side, TableInfo table) {
        SideDatabase db = dbs.get(side);
        if (!db.dialect().mysqlFamily()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        db.withHandle(h -> h.createQuery("SELECT column_name, character_set_name FROM information_schema.columns"
                        + " WHERE table_schema = :s AND table_name = :t AND character_set_name IS NOT NULL")
                .bind("s", table.schema())
                .bind("t", table.name())
                .map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2)))
                .list());
        return out;
    }

    private void validate(TableMapping m, Optional<ColumnPlan> plan, Optional<TableGroup> group, Map<Side, TableInfo> info,
            List<String> problems) {
        if (plan.isPresent()) {
            for (ColumnRule rule : plan.get().rules()) {
                for (Side side : Side.values()) {
                    Set<String> named = new LinkedHashSet<>(rule.columns(side));
                    named.addAll(rule.logic().reads(side == Side.V1 ? Direction.FORWARD : Direction.BACKWARD));
                    for (String c : named) {
                        if (info.get(side).column(c).isEmpty()) {
                            problems.add(rule.origin() + ": " + side.id() + " table " + info.get(side).qualifiedName()
                                    + " has no column '" + c + "' (" + rule.logic().describe() + ")");
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        for (Direction d : Direction.values()) {
            TableInfo src = info.get(d.source());
            TableInfo dst = info.get(d.target());
            Map<String, Object> full = new LinkedHashMap<>();
            Map<String, Object> key = new LinkedHashMap<>();
            ValueGenerator gen = new ValueGenerator(options.seed());
            for (ColumnInfo c : src.columns()) {
                full.put(c.name(), null);
                if (src.primaryKey().contains(c.name())) {
                    List<Object> edges = gen.edges(new ColumnInfo(c.name(), c.type(), false, c.hasDefault()), List.of());
                    key.put(c.name(), edges.isEmpty() ? "k" : edges.get(Math.min(1, edges.size() - 1)));
                }
            }
            Row produced;
            try {
                produced = m.translate(d, Row.of(full));
            } catch (RuntimeException e) {
                problems.add(d.laneName() + ": cannot translate a row of NULLs: " + e.getMessage());
                continue;
            }
            for (String c : produced.columns()) {
                if (dst.column(c).isEmpty()) {
                    problems.add(d.laneName() + ": writes column '" + c + "', but " + d.target().id() + " table "
                            + dst.qualifiedName() + " has no such column");
                }
            }
            boolean intoWhole = group.isPresent() && group.get().wholeSide() == d.target();
            if (!intoWhole) {
                for (ColumnInfo c : dst.columns()) {
                    if (!produced.has(c.name()) && !c.nullable() && !c.hasDefault()) {
                        problems.add(d.laneName() + ": " + d.target().id() + " column " + dst.qualifiedName() + "." + c.name()
                                + " is NOT NULL without a default and the mapping never fills it");
                    }
                }
            }
            try {
                Row keyOut = m.translate(d, Row.of(key));
                for (String k : dst.primaryKey()) {
                    if (!keyOut.has(k)) {
                        problems.add(d.laneName() + ": the key of " + src.qualifiedName() + " (" + String.join(", ", src.primaryKey())
                                + ") does not give key column '" + k + "' of " + dst.qualifiedName()
                                + "; keys must map to keys");
                    }
                }
            } catch (RuntimeException e) {
                problems.add(d.laneName() + ": cannot translate the key " + Row.of(key) + ": " + e.getMessage());
            }
        }
    }

    /** Whether the writer could bind {@code value} to a column of {@code column}'s type. */
    static boolean fits(ColumnInfo column, Object value) {
        String t = column.type().toLowerCase(Locale.ROOT);
        if (t.equals("smallint") || t.equals("integer") || t.equals("bigint")) {
            if (!(value instanceof Number n) || value instanceof Double || value instanceof Float) {
                return false;
            }
            BigDecimal d = new BigDecimal(n.toString());
            long max = t.equals("smallint") ? Short.MAX_VALUE : t.equals("integer") ? Integer.MAX_VALUE : Long.MAX_VALUE;
            long min = t.equals("smallint") ? Short.MIN_VALUE : t.equals("integer") ? Integer.MIN_VALUE : Long.MIN_VALUE;
            return d.stripTrailingZeros().scale() <= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0
                    && d.compareTo(BigDecimal.valueOf(min)) >= 0;
        }
        if (t.startsWith("numeric")) {
            if (!(value instanceof Number n)) {
                return false;
            }
            java.util.regex.Matcher ps = java.util.regex.Pattern.compile("\\((\\d+),(\\d+)\\)").matcher(t);
            if (!ps.find()) {
                return true;
            }
            int precision = Integer.parseInt(ps.group(1));
            int scale = Integer.parseInt(ps.group(2));
            BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
            return d.scale() <= scale && d.precision() - d.scale() <= precision - scale;
        }
        if (t.equals("real") || t.equals("double precision")) {
            return value instanceof Number;
        }
        if (t.equals("boolean")) {
            return value instanceof Boolean;
        }
        if (t.startsWith("timestamp") && t.contains("with time zone") && !t.contains("without")) {
            return value instanceof OffsetDateTime || value instanceof java.time.Instant;
        }
        if (t.startsWith("timestamp")) {
            return value instanceof LocalDateTime;
        }
        if (t.equals("date")) {
            return value instanceof LocalDate;
        }
        if (t.startsWith("time")) {
            return value instanceof LocalTime;
        }
        if (t.equals("uuid")) {
            return value instanceof UUID || value instanceof String;
        }
        if (t.equals("bytea")) {
            return value instanceof byte[];
        }
        if (t.startsWith("character") || t.startsWith("varchar")) {
            java.util.regex.Matcher n = java.util.regex.Pattern.compile("\\((\\d+)\\)").matcher(t);
            return value instanceof String s && (!n.find() || s.codePointCount(0, s.length()) <= Integer.parseInt(n.group(1)));
        }
        if (t.equals("text") || t.equals("json") || t.equals("jsonb")) {
            return value instanceof String;
        }
        return true; // enums and other types: the writer casts text
    }

    /** The report as the operator reads it. */
    public static List<String> render(Report r) {
        List<String> out = new ArrayList<>();
        TableMapping m = r.mapping();
        out.add("mapping " + m.name() + ": v1 " + m.v1Table() + " <-> v2 " + m.v2Table() + "  (" + m.origin() + ")");
        out.add("  rules:");
        r.rules().forEach(rule -> out.add("    - " + rule));
        if (r.invalid()) {
            out.add("  INVALID:");
            r.problems().forEach(p -> out.add("    " + p));
            return out;
        }
        out.add(String.format(Locale.ROOT, "  %-16s %12s %12s", "round trips", "v1->v2->v1", "v2->v1->v2"));
        out.add(String.format(Locale.ROOT, "  %-16s %12d %12d", "generated rows", r.generated().get(Direction.FORWARD),
                r.generated().get(Direction.BACKWARD)));
        out.add(String.format(Locale.ROOT, "  %-16s %12d %12d", "sampled rows", r.sampled().get(Direction.FORWARD),
                r.sampled().get(Direction.BACKWARD)));
        for (Side side : Side.values()) {
            Set<String> kept = r.notCarried().getOrDefault(side, Set.of());
            if (!kept.isEmpty()) {
                out.add("  not carried to the other side (kept as they are on " + side.id() + "): " + String.join(", ", kept));
            }
        }
        r.oneWay().forEach(w -> out.add("  one-way: " + w));
        if (r.lossy().isEmpty()) {
            out.add("  every column round-trips");
        } else {
            int width = Math.max(6, r.lossy().stream().mapToInt(l -> l.column().length()).max().orElse(6));
            out.add("  cannot round-trip:");
            out.add(String.format(Locale.ROOT, "    %-" + width + "s  %-20s  %-9s  %s", "column", "trip", "rows", "example"));
            for (Lossy l : r.lossy()) {
                out.add(String.format(Locale.ROOT, "    %-" + width + "s  %-20s  %-9s  %s", l.column(), l.trip(), l.source(),
                        abbreviate(l.example())));
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 240 ? one.substring(0, 237) + "..." : one;
    }
}
