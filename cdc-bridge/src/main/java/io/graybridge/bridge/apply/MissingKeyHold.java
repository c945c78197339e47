package io.graybridge.bridge.apply;

import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds, on a PostgreSQL target, the keys a batch's locked read found missing, from the read to the batch's commit
 * (ARCHITECTURE.md, "Deletes", "Missing keys on PostgreSQL targets"). {@code SELECT ... FOR UPDATE} locks only rows
 * that exist; MariaDB and MySQL at REPEATABLE READ also lock the gap of a missing key, PostgreSQL has no such lock. So
 * right after the locked read, before the barrier reads the target's position, the writer inserts each missing key's
 * row image (the first change's of the key in the batch: a delete's before image, otherwise its after image). From then
 * on an application insert of the key waits for the batch's commit (PostgreSQL's unique check waits for an inserter
 * whose transaction is in progress, also once that transaction deleted the row again); an application row committed
 * since the read makes the hold find the key taken, and the batch is retried like any concurrent insert (SQLState
 * 23505, {@link Retry}). After the decisions the held row stays where the key's first decision inserts that very image
 * (the hold was its insert: no statement more); every other held row is deleted before the batch's statements.
 *
 * <p>Only changes decided by knowledge ({@link RowDecision#decideKnowing}) are held: their decision assumes the
 * target's own writes of a locked key are known up to the read (the barrier) or follow the batch. The before-image
 * rules compare values and need no hold. An image the table refuses (a NOT NULL, CHECK, foreign key or other unique
 * constraint, a generated column) is not held: the key goes on unheld, as before this hold, logged once per table and
 * counted ({@link #notHeld()}, and through {@link #onNotHeld} as {@code graybridge_keys_not_held_total}). Triggers
 * on the table see the held insert and, where it is released, the delete; both are in the bridge's marked
 * transaction, so capture drops them as its echo, and no audit record is made for them.
 */
final class MissingKeyHold {
    private static final Logger LOG = LoggerFactory.getLogger(MissingKeyHold.class);

    private final Dialect dialect;
    private final String lane;
    private final Map<String, TableInfo> tables;
    private final Map<String, String> sqlCache = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong notHeld = new AtomicLong();
    private volatile Runnable notHeldListener = () -> {};

    MissingKeyHold(Dialect dialect, String lane, Map<String, TableInfo> tables) {
        this.dialect = dialect;
        this.lane = lane;
        this.tables = tables;
    }

    /** Keys held so far (inserted at the read), in this process. */
    long held() {
        return held.get();
    }

    /** Keys that could not be held (their image refused by the table), in this process. */
    long notHeld() {
        return notHeld.get();
    }

    /** {@code listener} is told of every key that could not be held, as it is counted ({@link #notHeld()}). */
    void onNotHeld(Runnable listener) {
        this.notHeldListener = listener;
    }

    /** A key the locked read found missing and the row image that holds it. */
    record Candidate(String table, Row key, Row image) {}

    /**
     * The keys to hold: for each change decided by knowledge ({@code keyTexts[i] != null}) whose key {@code current}
     * (the locked read) shows missing, the first such change's key and image. Pure.
     */
    static List<Candidate> candidates(List<TargetChange> changes, String[] keyTexts, BiFunction<String, Row, Row> current) {
        Map<List<Object>, Candidate> out = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            TargetChange change = changes.get(i);
            if (keyTexts[i] == null || current.apply(change.table(), change.key()) != null) {
                continue;
            }
            Row image = change.op() == TargetChange.Op.DELETE ? change.before() : change.after();
            out.putIfAbsent(List.of(change.table(), change.key()), new Candidate(change.table(), change.key(), image));
        }
        return List.copyOf(out.values());
    }

    /**
     * Holds the missing keys of {@code changes} (see {@link #candidates}) in the batch's transaction on {@code c}.
     *
     * @throws SQLException with SQLState 23505 when the target's application inserted one of them since the read (the
     *     batch is retried), or when the connection fails
     */
    Held hold(Connection c, List<TargetChange> changes, String[] keyTexts, BiFunction<String, Row, Row> current)
            throws SQLException, InterruptedException {
        if (dialect != Dialect.POSTGRESQL) {
            return Held.NONE; // the locked read's gap locks hold them (REPEATABLE READ, SideDatabase)
        }
        List<Candidate> candidates = candidates(changes, keyTexts, current);
        if (candidates.isEmpty()) {
            return Held.NONE;
        }
        CrashPoints.pause("before-hold", lane);
        Held out = new Held(this);
        Savepoint all = c.setSavepoint("graybridge_hold");
        try {
            insertAll(c, candidates);
            c.releaseSavepoint(all);
            candidates.forEach(k -> out.add(k));
        } catch (SQLException e) {
            // a key taken since the read, or an image the table refuses: key by key, to tell which
            c.rollback(all);
            for (Candidate k : candidates) {
                if (holdOne(c, k)) {
                    out.add(k);
                }
            }
            c.releaseSavepoint(all);
        }
        held.addAndGet(out.images.size());
        CrashPoints.pause("after-hold", lane);
        return out;
    }

    private void insertAll(Connection c, List<Candidate> candidates) throws SQLException {
        Map<String, List<Candidate>> bySql = new LinkedHashMap<>();
        for (Candidate k : candidates) {
            bySql.computeIfAbsent(insertSql(k, false), s -> new ArrayList<>()).add(k);
        }
        for (Map.Entry<String, List<Candidate>> run : bySql.entrySet()) {
            if (copied(c, run.getValue())) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(run.getKey())) {
                for (Candidate k : run.getValue()) {
                    bindAll(ps, k.image().asMap().values());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** A long run of holds of one table and columns as one COPY, as the writer inserts new rows ({@link CopyRows}). */
    private boolean copied(Connection c, List<Candidate> run) throws SQLException {
        if (run.size() < CopyRows.MIN_ROWS) {
            return false;
        }
        byte[] data = CopyRows.encode(run.stream().map(k -> (List<Object>) new ArrayList<Object>(k.image().asMap().values()))
                .toList());
        if (data == null) {
            return false;
        }
        TableInfo table = tables.get(run.get(0).table());
        CopyRows.copy(c, dialect.qualified(table.schema(), table.name()), run.get(0).image().columns().stream()
                .map(dialect::quote).collect(Collectors.joining(", ")), data);
        return true;
    }

    /** Holds one key in a savepoint of its own: {@code false} when its image is refused (logged once per table). */
    private boolean holdOne(Connection c, Candidate k) throws SQLException {
        Savepoint one = c.setSavepoint("graybridge_hold_key");
        int inserted;
        try (PreparedStatement ps = c.prepareStatement(insertSql(k, true))) {
            bindAll(ps, k.image().asMap().values());
            inserted = ps.executeUpdate();
        } catch (SQLException e) {
            c.rollback(one);
            if (!"23505".equals(e.getSQLState()) && Retry.isTransient(e)) {
                throw e; // a lost connection, a deadlock: the batch is retried (23505 here: another unique index)
            }
            refused(k, e);
            return false;
        }
        c.releaseSavepoint(one);
        if (inserted == 0) {
            throw new SQLException("lane " + lane + ": key " + k.key() + " of " + k.table() + " was missing at the batch's"
                    + " locked read and the target's application inserted it since; the batch is decided again", "23505");
        }
        return true;
    }

    private void refused(Candidate k, SQLException e) {
        notHeld.incrementAndGet();
        notHeldListener.run();
        if (warned.add(k.table())) {
            SQLException root = e.getNextException() != null ? e.getNextException() : e;
            LOG.warn("lane {}: cannot hold key {} of table {}, missing at the batch's locked read, until the batch commits:"
                    + " the table refuses the change's row image ({} [SQLState {}]). Such keys go on unheld: an application"
                    + " insert of one between the read and the commit can leave the sides different until `graybridge"
                    + " drift` finds the row and `repair` rewrites it. Logged once per table; counted in"
                    + " graybridge_keys_not_held_total.",
                    lane, k.key(), k.table(), root.getMessage(), root.getSQLState());
        }
    }

    /** The writer's own INSERT of the image's columns, and on a per-key hold ON CONFLICT on the key DO NOTHING. */
    private String insertSql(Candidate k, boolean perKey) {
        TableInfo table = tables.get(k.table());
        List<String> columns = List.copyOf(k.image().columns());
        return sqlCache.computeIfAbsent((perKey ? "K|" : "I|") + k.table() + "|" + columns, s -> Statements.insert(dialect,
                table, columns) + (perKey ? " ON CONFLICT (" + table.primaryKey().stream().map(dialect::quote)
                        .collect(Collectors.joining(", ")) + ") DO NOTHING" : ""));
    }

    private static void bindAll(PreparedStatement ps, Iterable<Object> values) throws SQLException {
        int index = 1;
        for (Object value : values) {
            TargetWriter.bind(ps, index++, value);
        }
    }

    /**
     * The keys one batch holds and what becomes of each: kept where its first decision inserts the held image,
     * otherwise released (deleted) before the batch's statements.
     */
    static final class Held {
        static final Held NONE = new Held(null);

        private final MissingKeyHold hold;
        private final Map<List<Object>, Candidate> images = new LinkedHashMap<>();
        private final Map<List<Object>, Boolean> kept = new LinkedHashMap<>();

        private Held(MissingKeyHold hold) {
            this.hold = hold;
        }

        /** Holding {@code keys} already (tests). */
        Held(MissingKeyHold hold, List<Candidate> keys) {
            this(hold);
            keys.forEach(this::add);
        }

        private void add(Candidate k) {
            images.put(List.of(k.table(), k.key()), k);
        }

        /**
         * Records {@code d}, the decision for {@code change}; {@code true} when the hold already wrote it (the key's
         * first decision, an insert of the held image), so the writer executes no statement for it.
         */
        boolean insertedByHold(TargetChange change, RowDecision d) {
            if (images.isEmpty()) {
                return false;
            }
            List<Object> id = List.of(change.table(), change.key());
            Candidate k = images.get(id);
            if (k == null || kept.containsKey(id)) {
                return false;
            }
            boolean same = d.action() == RowDecision.Action.INSERT && d.row() == k.image();
            kept.put(id, same);
            return same;
        }

        /** The held keys to delete again: those whose first decision did not insert the held image. */
        List<Candidate> toRelease() {
            List<Candidate> out = new ArrayList<>();
            images.forEach((id, k) -> {
                if (!kept.getOrDefault(id, false)) {
                    out.add(k);
                }
            });
            return out;
        }

        /**
         * Deletes the held rows {@link #toRelease()} names, before the batch's own statements run, tables in the reverse
         * of the order they were held in (a held row of a child table goes before the held parent row it refers to).
         */
        void release(Connection c) throws SQLException {
            List<Candidate> release = toRelease();
            java.util.Collections.reverse(release);
            Map<String, List<Candidate>> byTable = new LinkedHashMap<>();
            for (Candidate k : release) {
                byTable.computeIfAbsent(k.table(), t -> new ArrayList<>()).add(k);
            }
            for (Map.Entry<String, List<Candidate>> e : byTable.entrySet()) {
                TableInfo table = hold.tables.get(e.getKey());
                try (PreparedStatement ps = c.prepareStatement(Statements.delete(hold.dialect, table))) {
                    for (Candidate k : e.getValue()) {
                        int index = 1;
                        for (String column : table.primaryKey()) {
                            TargetWriter.bind(ps, index++, k.key().get(column));
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        }
    }
}
