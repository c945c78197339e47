package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SchemaInspector;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.MappingDescriptions;
import io.graybridge.reconcile.Equivalence;
import io.graybridge.reconcile.TableComparator.SideTable;
import java.util.List;
import java.util.Set;

/** What {@code drift} and {@code repair} share: choosing tables, describing sides, masking values. */
final class Reconciliation {
    static final String MASK = "****";

    private Reconciliation() {}

    /** The mappings in scope: all, or the one whose v1 table, v2 table or name is {@code table}. */
    static List<TableMapping> tables(BridgeConfig cfg, String table) {
        if (table == null) {
            return cfg.tables();
        }
        List<TableMapping> chosen = cfg.tables().stream()
                .filter(m -> m.name().equals(table) || m.v1Table().equals(table) || m.v2Table().equals(table))
                .toList();
        if (chosen.isEmpty()) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "no table '" + table + "' in " + cfg.file()
                    + "; its tables are " + cfg.tables().stream().map(m -> m.v1Table() + " -> " + m.v2Table()).toList());
        }
        return chosen;
    }

    /** One side's table with its primary key read from the catalog. */
    static SideTable side(SideDatabase db, TableMapping mapping) {
        String table = mapping.table(db.side());
        TableInfo info = new SchemaInspector(db).table(db.schema(), table).orElseThrow(() -> new GrayBridgeException(
                ErrorCode.SCHEMA_MISMATCH, "table " + db.schema() + "." + table + " does not exist on " + db.side().id()));
        if (info.primaryKey().isEmpty()) {
            throw new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH, "table " + info.qualifiedName() + " on "
                    + db.side().id() + " has no primary key: rows are compared by key");
        }
        return new SideTable(db.dataSource(), db.schema(), table, info.primaryKey());
    }

    static Equivalence equivalence(BridgeConfig cfg) {
        return new Equivalence(cfg.nullEqualsEmpty());
    }

    /** Masks the values of the config's {@code report.masked-columns} for one mapping. */
    record Masker(TableMapping mapping, Set<String> masked) {
        /** Whether column {@code column} of side {@code side}'s table is sensitive (either name of it counts). */
        boolean masked(Side side, String column) {
            if (masked.isEmpty()) {
                return false;
            }
            String other = MappingDescriptions.plan(mapping)
                    .flatMap(p -> p.target(side == Side.V2 ? Direction.BACKWARD : Direction.FORWARD, column))
                    .orElse(column);
            String v1Column = side == Side.V1 ? column : other;
            String v2Column = side == Side.V2 ? column : other;
            return masked.contains(mapping.v1Table() + "." + v1Column) || masked.contains(mapping.v2Table() + "." + v2Column);
        }

        String render(Side side, String column, Object value) {
            return masked(side, column) ? MASK : Values.render(value);
        }

        /** For JSON: numbers and booleans as they are, other values as text, {@code null} as null, or the mask. */
        Object plain(Side side, String column, Object value) {
            if (masked(side, column)) {
                return MASK;
            }
            if (value == null || value instanceof Number || value instanceof Boolean) {
                return value;
            }
            return value instanceof byte[] ? Values.render(value) : value.toString();
        }

        /** {@code {id=5, email=****}} */
        String row(Side side, io.graybridge.mapping.Row row) {
            StringBuilder sb = new StringBuilder("{");
            row.asMap().forEach((c, v) -> {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(c).append('=').append(render(side, c, v));
            });
            return sb.append('}').toString();
        }
    }
}
