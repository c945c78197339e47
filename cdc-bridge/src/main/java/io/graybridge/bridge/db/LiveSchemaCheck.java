package io.graybridge.bridge.db;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.ColumnRule;
import io.graybridge.mapping.yaml.MappingDescriptions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a configuration against the live schemas of both sides and collects every problem: missing
 * schemas and tables, tables without a primary key, tables whose changes lack full before images,
 * mapped columns the target does not have, required target columns the mapping never fills, and
 * servers not set up for logical decoding. Each problem says what to run or change.
 */
public final class LiveSchemaCheck {
    private final BridgeConfig config;
    private final Map<Side, SideDatabase> sides;
    private final Map<Side, Map<String, TableInfo>> tables = new EnumMap<>(Side.class);
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Side, PostgresPrivileges> privileges = new EnumMap<>(Side.class);

    public LiveSchemaCheck(BridgeConfig config, SideDatabase v1, SideDatabase v2) {
        this.config = config;
        this.sides = Map.of(Side.V1, v1, Side.V2, v2);
    }

    /** Runs every check; returns the problems found (empty when the bridge can start). */
    public List<Problem> run() {
        for (Side side : Side.values()) {
            tables.put(side, new LinkedHashMap<>());
            SchemaInspector inspector = new SchemaInspector(sides.get(side));
            String schema = config.side(side).schema();
            if (!inspector.schemaExists(schema)) {
                problems.add(problem("schema '" + schema + "' does not exist on the " + config.side(side).describe(),
                        "create it with the application's migrations, or fix sides." + side.id() + ".schema"));
                continue;
            }
            for (TableMapping m : config.tables()) {
                String name = m.table(side);
                Optional<TableInfo> info = inspector.table(schema, name);
                if (info.isEmpty()) {
                    problems.add(problem("table '" + schema + "." + name + "' does not exist on " + side.id()
                                    + " (mapping '" + m.name() + "', " + m.origin() + ")",
                            "check the table name in the mapping or in 'tables', and that the " + side.id()
                                    + " schema is migrated"));
                } else if (info.get().primaryKey().isEmpty()) {
                    problems.add(problem("table '" + schema + "." + name + "' on " + side.id() + " has no primary key:"
                                    + " GrayBridge keys every row by primary key",
                            "ALTER TABLE " + quote(side, schema) + "." + quote(side, name) + " ADD PRIMARY KEY (...);"
                                    + " or leave the table out of 'tables'"));
                } else {
                    tables.get(side).put(name, info.get());
                    checkDeclaredColumns(m, side, info.get());
                }
            }
        }
        for (Direction d : Direction.values()) {
            LaneConfig lane = config.lane(d);
            if (lane != null && lane.enabled()) {
                checkLane(d);
            }
        }
        for (Side side : Side.values()) {
            boolean sameDatabase = side == Side.V2 && config.v2().jdbcUrl().equals(config.v1().jdbcUrl());
            if (sides.get(side).dialect() == Dialect.POSTGRESQL && !sameDatabase) {
                privileges(side).checkMetadataSchema(config.metadataSchema(), this::addProblem);
            }
        }
        if ("latest-wins".equals(config.conflictPolicy())) {
            for (Side side : Side.values()) {
                // only one-way sync compares commit times (two-way latest-wins decides by stamps from capture); the
                // config check refuses one-way latest-wins into a MariaDB or MySQL target
                Direction into = Direction.from(side.other());
                LaneConfig lane = config.lane(into);
                LaneConfig reverse = config.lane(into.reverse());
                boolean oneWayTarget = lane != null && lane.enabled() && (reverse == null || !reverse.enabled());
                if (sides.get(side).dialect() != Dialect.POSTGRESQL || !oneWayTarget) {
                    continue;
                }
                String setting = sides.get(side).withHandle(h ->
                        h.createQuery("SHOW track_commit_timestamp").mapTo(String.class).one());
                if (!"on".equals(setting)) {
                    problems.add(problem("conflict policy latest-wins needs commit times, but track_commit_timestamp"
                                    + " is '" + setting + "' on the " + config.side(side).describe(),
                            "ALTER SYSTEM SET track_commit_timestamp = on; then restart PostgreSQL"));
                }
            }
        }
        return List.copyOf(problems);
    }

    /**
     * Runs every check and throws them all at once when any fails.
     *
     * @throws ProblemsException listing every problem, naming {@code config.file()}
     */
    public void verify() {
        List<Problem> found = run();
        if (!found.isEmpty()) {
            throw new ProblemsException(ErrorCode.SCHEMA_MISMATCH, "the live schemas for " + config.file(), found);
        }
    }

    /** The tables found on {@code side}, keyed by name (complete only when {@link #run} found no problem). */
    public Map<String, TableInfo> tables(Side side) {
        return tables.getOrDefault(side, Map.of());
    }

    private void checkLane(Direction d) {
        Side source = d.source();
        SchemaInspector inspector = new SchemaInspector(sides.get(source));
        if (sides.get(source).dialect().mysqlFamily()) {
            checkBinlog(d, inspector.binlogSettings());
        } else {
            String wal = inspector.walLevel();
            if (!"logical".equals(wal)) {
                problems.add(problem("wal_level is '" + wal + "' on the " + config.side(source).describe()
                                + ": lane " + d.laneName() + " needs logical decoding",
                        "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL"));
            }
        }
        Map<String, java.util.Set<String>> producedInWhole = new LinkedHashMap<>();
        for (TableMapping m : config.tables()) {
            TableInfo src = tables.get(source).get(m.table(source));
            TableInfo dst = tables.get(d.target()).get(m.table(d.target()));
            if (src == null || dst == null) {
                continue;
            }
            boolean partOfWhole = MappingSet.group(m).map(g -> g.wholeSide() == d.target()).orElse(false);
            if (partOfWhole) {
                producedInWhole.computeIfAbsent(dst.name(), t -> new java.util.HashSet<>());
            }
            if (!src.fullRowImages()) {
                problems.add(problem("table '" + src.qualifiedName() + "' on " + source.id()
                                + " does not log full before images, so lane " + d.laneName()
                                + " could not see what an update or delete changed",
                        "ALTER TABLE " + quote(source, src.schema()) + "." + quote(source, src.name())
                                + " REPLICA IDENTITY FULL;"));
            }
            checkColumns(m, d, src, dst, partOfWhole ? producedInWhole.get(dst.name()) : null);
        }
        checkPrivileges(d);
        // the parts of a split or merge fill the whole table together
        producedInWhole.forEach((table, produced) -> checkRequired(tables.get(d.target()).get(table), produced,
                "no part of its split or merge fills it", d));
    }

    /**
     * Binlog capture on MariaDB and MySQL reads row events: the binlog must be on, in ROW format, with full before
     * images (an update or delete must show every column); on MySQL also with GTIDs and whole JSON values ({@link
     * #binlogProblems}). Each setting that is off is one problem naming the server option to set.
     */
    private void checkBinlog(Direction d, Map<String, String> settings) {
        Dialect dialect = sides.get(d.source()).dialect();
        for (String[] p : binlogProblems(dialect, settings)) {
            problems.add(problem(p[0] + " on the " + config.side(d.source()).describe() + ": lane " + d.laneName() + " "
                    + p[1], p[2]));
        }
    }

    /**
     * The binlog settings of a {@code dialect} server that capture cannot work with, each as {what is set, what the
     * lane needs, how to fix it}. Pure: see the unit test.
     */
    static List<String[]> binlogProblems(Dialect dialect, Map<String, String> settings) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("log_bin", "ON");
        wanted.put("binlog_format", "ROW");
        wanted.put("binlog_row_image", "FULL");
        if (dialect == Dialect.MYSQL) {
            // Debezium's MySQL connector follows transactions by GTID; MySQL refuses gtid_mode=ON without the other
            wanted.put("gtid_mode", "ON");
            wanted.put("enforce_gtid_consistency", "ON");
        }
        String section = dialect == Dialect.MYSQL ? "[mysqld]" : "[mariadbd]";
        String server = dialect.displayName();
        List<String[]> out = new java.util.ArrayList<>();
        wanted.forEach((name, value) -> {
            String actual = settings.get(name);
            if (!value.equalsIgnoreCase(String.valueOf(actual))) {
                out.add(new String[] {name + " is '" + actual + "'", "captures row changes from the binlog and needs "
                        + name + "=" + value, "set " + name.replace('_', '-') + (name.equals("log_bin") ? "" : "=" + value)
                                + " in the " + section + " section of the server's configuration (and server-id),"
                                + " then restart " + server
                                + (name.startsWith("gtid") || name.startsWith("enforce")
                                        ? " (on a running server: SET PERSIST enforce_gtid_consistency = ON, then"
                                                + " gtid_mode step by step OFF_PERMISSIVE, ON_PERMISSIVE, ON)"
                                        : "")});
            }
        });
        String valueOptions = settings.get("binlog_row_value_options");
        if (dialect == Dialect.MYSQL && valueOptions != null && !valueOptions.isBlank()) {
            out.add(new String[] {"binlog_row_value_options is '" + valueOptions + "'", "needs whole row values in the"
                    + " binlog (PARTIAL_JSON logs only the changed part of a JSON value, which capture cannot apply)",
                    "SET PERSIST binlog_row_value_options = ''"});
        }
        return out;
    }

    /** Every column a mapping rule names on {@code side} must exist there; the rule's own line is given. */
    private void checkDeclaredColumns(TableMapping m, Side side, TableInfo table) {
        MappingDescriptions.plan(m).ifPresent(plan -> {
            for (ColumnRule rule : plan.rules()) {
                String column = rule.column(side);
                if (column != null && table.column(column).isEmpty()) {
                    problems.add(new Problem(rule.origin(), 0, 0, "mapping '" + m.name() + "' names column '" + column
                            + "', but " + side.id() + " table " + table.qualifiedName() + " has no such column",
                            "fix the column name in the mapping (" + side.id() + " has: " + table.columns().stream()
                                    .map(ColumnInfo::name).collect(java.util.stream.Collectors.joining(", ")) + ")"));
                }
            }
        });
    }

    /** Translates a row holding every source column (as NULL) and checks what comes out against the target. */
    private void checkColumns(TableMapping m, Direction d, TableInfo src, TableInfo dst, java.util.Set<String> partOfWhole) {
        Map<String, Object> nulls = new LinkedHashMap<>();
        src.columns().forEach(c -> nulls.put(c.name(), null));
        Row produced;
        try {
            produced = m.translate(d, Row.of(nulls));
        } catch (RuntimeException e) {
            problems.add(problem("mapping '" + m.name() + "' (" + m.origin() + ") cannot translate a row of "
                    + src.qualifiedName() + " " + d.laneName() + ": " + e.getMessage(), "fix the mapping rules"));
            return;
        }
        for (String column : produced.columns()) {
            if (dst.column(column).isEmpty()) {
                problems.add(problem("mapping '" + m.name() + "' (" + m.origin() + ") writes column '" + column
                                + "' but " + d.target().id() + " table " + dst.qualifiedName() + " has no such column",
                        "rename or drop '" + column + "' in the mapping, or add the column on " + d.target().id()));
            }
        }
        if (partOfWhole != null) {
            partOfWhole.addAll(produced.columns());
            return;
        }
        checkRequired(dst, produced.columns(), "mapping '" + m.name() + "' (" + m.origin() + ") never fills it", d);
    }

    private void checkRequired(TableInfo dst, java.util.Set<String> produced, String why, Direction d) {
        for (ColumnInfo c : dst.columns()) {
            if (!produced.contains(c.name()) && !c.nullable() && !c.hasDefault()) {
                problems.add(problem(d.target().id() + " column " + dst.qualifiedName() + "." + c.name()
                                + " is NOT NULL without a default, and " + why + ", so inserts " + d.laneName()
                                + " would fail",
                        "map a source column to it or declare a default for it in the mapping"));
            }
        }
    }

    /**
     * What the user may do on each PostgreSQL side of lane {@code d} (capture on its source, the writer on
     * its target), once every table of the lane was found.
     */
    private void checkPrivileges(Direction d) {
        java.util.Set<String> sourceTables = new java.util.LinkedHashSet<>();
        java.util.Set<String> targetTables = new java.util.LinkedHashSet<>();
        for (TableMapping m : config.tables()) {
            sourceTables.add(m.table(d.source()));
            targetTables.add(m.table(d.target()));
        }
        if (!tables.get(d.source()).keySet().containsAll(sourceTables)
                || !tables.get(d.target()).keySet().containsAll(targetTables)) {
            return; // reported above
        }
        if (sides.get(d.source()).dialect() == Dialect.POSTGRESQL) {
            privileges(d.source()).checkCapture(d.laneName(), config.side(d.source()).schema(), sourceTables,
                    config.lane(d).publicationName(), this::addProblem);
        }
        if (sides.get(d.target()).dialect() == Dialect.POSTGRESQL) {
            privileges(d.target()).checkWriter(d.laneName(), config.side(d.target()).schema(), targetTables,
                    this::addProblem);
        }
    }

    private PostgresPrivileges privileges(Side side) {
        return privileges.computeIfAbsent(side, s -> new PostgresPrivileges(sides.get(s)));
    }

    private void addProblem(String message, String hint) {
        Problem p = problem(message, hint);
        if (!problems.contains(p)) { // both sides in one database: said once
            problems.add(p);
        }
    }

    private Problem problem(String message, String hint) {
        return new Problem(config.file().toString(), 0, 0, message, hint);
    }

    private String quote(Side side, String identifier) {
        return sides.get(side).dialect().quote(identifier);
    }
}
