package io.graybridge.reconcile;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.internal.Column;
import io.graybridge.reconcile.internal.KeyedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Rewrites drifting rows on one side from the other, through the mapping: a {@link DifferenceListener}
 * to pass to {@link TableComparator#compare} in {@link CompareOptions#listener()}.
 *
 * <p>With {@code --from v1} (source v1, target v2): a key missing on v2 is inserted (the v1 row translated
 * forward), an extra v2 key is deleted, a mismatched row gets its differing columns updated. With
 * {@code --from v2} (target v1) the other way round, through the backward translation; a v1 column the
 * mapping drops is left as it is. Changes are written in transactions of up to {@value #BATCH}; each
 * transaction first runs {@code transactionStart} (the bridge's loop-guard marker), so capture does not
 * echo the repair back, and last runs {@code transactionEnd} with the changes it wrote (the bridge appends
 * their audit events there, so they commit or roll back with the rows). In dry-run mode nothing is written:
 * every change only goes to {@code log}.
 */
public final class Repairer implements DifferenceListener, AutoCloseable {
    static final int BATCH = 500;

    /** Runs first in every repair transaction, before any row is written. */
    @FunctionalInterface
    public interface TransactionStart {
        void begin(Connection connection) throws SQLException;
    }

    /**
     * Runs last in every repair transaction, after its changes were written and before it commits, on the same
     * connection: whatever it writes commits with those changes or not at all.
     */
    @FunctionalInterface
    public interface TransactionEnd {
        /**
         * @param connection the repair transaction's connection (do not commit or close it)
         * @param changes the changes this transaction wrote, in order (unmodifiable)
         * @param transaction this transaction's number for this table, from 1
         */
        void end(Connection connection, List<Change> changes, int transaction) throws SQLException;

        /** Does nothing. */
        TransactionEnd NONE = (c, changes, n) -> {};
    }

    /**
     * One change to the target side.
     *
     * @param kind what it does
     * @param table the target table, schema-qualified
     * @param key the target row's key (target column names)
     * @param values the columns written (empty for a delete)
     */
    public record Change(Kind kind, String table, Row key, Row values) {
        public enum Kind { INSERT, UPDATE, DELETE }
    }

    private final TableMapping mapping;
    private final SideTable target;
    private final List<String> sourceKey;
    private final Side from;
    private final boolean dryRun;
    private final TransactionStart transactionStart;
    private final TransactionEnd transactionEnd;
    private int transactions;
    private final Consumer<Change> log;
    private final Equivalence equivalence;
    private final List<Change> pending = new ArrayList<>();
    private KeyedTable table;
    private long inserted;
    private long updated;
    private long deleted;

    public Repairer(TableMapping mapping, SideTable v1, SideTable v2, Side from, boolean dryRun,
            TransactionStart transactionStart, Consumer<Change> log, Equivalence equivalence) {
        this(mapping, v1, v2, from, dryRun, transactionStart, TransactionEnd.NONE, log, equivalence);
    }

    public Repairer(TableMapping mapping, SideTable v1, SideTable v2, Side from, boolean dryRun,
            TransactionStart transactionStart, TransactionEnd transactionEnd, Consumer<Change> log,
            Equivalence equivalence) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.from = Objects.requireNonNull(from, "from");
        this.target = from == Side.V1 ? v2 : v1;
        this.sourceKey = v1.key();
        this.dryRun = dryRun;
        this.transactionStart = Objects.requireNonNull(transactionStart, "transactionStart");
        this.transactionEnd = Objects.requireNonNull(transactionEnd, "transactionEnd");
        this.log = Objects.requireNonNull(log, "log");
        this.equivalence = Objects.requireNonNull(equivalence, "equivalence");
    }

    @Override
    public void onDifference(Difference d) {
        Change change = from == Side.V1 ? fromV1(d) : fromV2(d);
        if (change == null) {
            return;
        }
        log.accept(change);
        switch (change.kind()) {
            case INSERT -> inserted++;
            case UPDATE -> updated++;
            case DELETE -> deleted++;
        }
        if (!dryRun) {
            pending.add(change);
            if (pending.size() >= BATCH) {
                flush();
            }
        }
    }

    private Change fromV1(Difference d) {
        String t = target.schema() + "." + target.table();
        return switch (d.kind()) {
            case MISSING_ON_V2 -> new Change(Change.Kind.INSERT, t, d.key(), d.expected());
            case EXTRA_ON_V2 -> new Change(Change.Kind.DELETE, t, d.key(), Row.empty());
            case MISMATCHED -> {
                Map<String, Object> set = new LinkedHashMap<>();
                d.columns().forEach(c -> set.put(c, d.expected().get(c)));
                yield new Change(Change.Kind.UPDATE, t, d.key(), Row.of(set));
            }
        };
    }

    private Change fromV2(Difference d) {
        String t = target.schema() + "." + target.table();
        return switch (d.kind()) {
            case MISSING_ON_V2 -> new Change(Change.Kind.DELETE, t, v1Key(d.v1Row()), Row.empty());
            case EXTRA_ON_V2 -> {
                Row back = mapping.translate(Direction.BACKWARD, d.v2Row());
                yield new Change(Change.Kind.INSERT, t, v1Key(back), back);
            }
            case MISMATCHED -> {
                Row back = mapping.translate(Direction.BACKWARD, d.v2Row());
                Map<String, Object> set = new LinkedHashMap<>();
                back.asMap().forEach((c, v) -> {
                    if (d.v1Row().has(c) && !equivalence.same(v, d.v1Row().get(c))) {
                        set.put(c, v);
                    }
                });
                yield set.isEmpty() ? null : new Change(Change.Kind.UPDATE, t, v1Key(d.v1Row()), Row.of(set));
            }
        };
    }

    private Row v1Key(Row row) {
        Map<String, Object> k = new LinkedHashMap<>();
        sourceKey.forEach(c -> k.put(c, row.get(c)));
        return Row.of(k);
    }

    /** Writes the pending changes in one marked transaction. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            Jdbi.create(target.dataSource()).useTransaction(h -> {
                Connection c = h.getConnection();
                if (table == null) {
                    table = KeyedTable.load(c, target.schema(), target.table(), target.key());
                }
                transactionStart.begin(c);
                for (Change change : pending) {
                    write(c, change);
                }
                transactionEnd.end(c, List.copyOf(pending), transactions + 1);
            });
            transactions++;
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.APPLY_FAILED, "repair of " + target.schema() + "." + target.table()
                    + " failed, its last transaction was rolled back: " + e.getMessage(), e);
        }
        pending.clear();
    }

    private void write(Connection c, Change change) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql;
        String where = change.key().columns().stream().map(k -> table.quoteId(k) + " = " + cast(k))
                .collect(Collectors.joining(" AND "));
        switch (change.kind()) {
            case INSERT -> {
                sql = "INSERT INTO " + table.from() + " ("
                        + change.values().columns().stream().map(table::quoteId).collect(Collectors.joining(", "))
                        + ") VALUES (" + change.values().columns().stream().map(this::cast).collect(Collectors.joining(", "))
                        + ")";
                params.addAll(change.values().asMap().values());
            }
            case UPDATE -> {
                sql = "UPDATE " + table.from() + " SET " + change.values().columns().stream()
                        .map(col -> table.quoteId(col) + " = " + cast(col)).collect(Collectors.joining(", "))
                        + " WHERE " + where;
                params.addAll(change.values().asMap().values());
                params.addAll(change.key().asMap().values());
            }
            default -> {
                sql = "DELETE FROM " + table.from() + " WHERE " + where;
                params.addAll(change.key().asMap().values());
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            ps.executeUpdate();
        }
    }

    private String cast(String column) {
        Column col = table.column(column).orElseThrow(() -> new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH,
                "table " + table.qualifiedName() + " has no column '" + column + "' to repair"));
        return table.placeholder(col);
    }

    /** Writes what is still pending. */
    @Override
    public void close() {
        if (!dryRun) {
            flush();
        }
    }

    public long inserted() {
        return inserted;
    }

    public long updated() {
        return updated;
    }

    public long deleted() {
        return deleted;
    }
}
