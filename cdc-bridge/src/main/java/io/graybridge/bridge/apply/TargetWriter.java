package io.graybridge.bridge.apply;

import io.graybridge.bridge.audit.AuditRecord;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.capture.OffsetEntry;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies translated changes to one target side in batched transactions. Each call to {@link #apply}
 * is one target transaction holding the changed rows, the conflict records, the audit events (when audit is
 * on), the lane's source offsets and its progress counters, so a crash at any point leaves the target either
 * before or after the whole batch.
 *
 * <p>Consecutive changes with the same statement shape go to the database as one JDBC batch; the
 * order of changes, and so the order per key, is kept.
 */
public final class TargetWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TargetWriter.class);
    private static final int MAX_ATTEMPTS = 8;

    private final SideDatabase target;
    private final String metadataSchema;
    private final String bridge;
    private final String lane;
    private final Side incomingSide;
    private final Map<String, TableInfo> tables;
    private final ConflictResolver resolver;
    private final Supplier<String> phase;
    private final ConflictLog conflictLog;
    private final ChangeAudit audit;
    private final Outbox outbox;
    private final LoopGuard guard;
    private final MissingKeyHold hold;
    private final Map<String, String> sqlCache = new HashMap<>();
    private long batches;
    private ConvergenceBarrier barrier;
    /** Whether marks carry the versions each batch writes (latest-wins with both lanes on). */
    private boolean markVersions;
    /** Whether captured changes with stamps are decided by them (two-way latest-wins: {@link #decideByStamps}). */
    private boolean byStamps;

    /**
     * @param target the side written to
     * @param metadataSchema the bridge's metadata schema on that side
     * @param bridge the bridge name
     * @param direction the lane
     * @param tables the target tables by name, as read from the target's catalog
     * @param resolver the conflict policy
     * @param phase the release phase, read when a batch is applied
     * @param audit the audit trail's settings: when enabled, each batch's audit events go to the target's
     *     outbox in the batch's transaction
     */
    public TargetWriter(
            SideDatabase target,
            String metadataSchema,
            String bridge,
            Direction direction,
            Map<String, TableInfo> tables,
            ConflictResolver resolver,
            Supplier<String> phase,
            AuditConfig audit) {
        this.target = target;
        this.metadataSchema = metadataSchema;
        this.bridge = bridge;
        this.lane = direction.laneName();
        this.incomingSide = direction.source();
        this.tables = Map.copyOf(tables);
        this.resolver = resolver;
        this.phase = phase;
        this.conflictLog = new ConflictLog(target.dialect(), target.dialect().qualified(metadataSchema, "conflict_log"),
                bridge, lane, resolver.name());
        this.audit = audit.enabled() ? new ChangeAudit(bridge, direction, ColumnMasker.of(audit), resolver.name()) : null;
        this.outbox = audit.enabled() ? new Outbox(target, metadataSchema, bridge) : null;
        this.guard = LoopGuard.of(target.dialect(), bridge, metadataSchema);
        this.hold = new MissingKeyHold(target.dialect(), lane, this.tables);
    }

    /**
     * Decides captured changes with the delete-convergence rules under a fixed policy ({@link
     * RowDecision#decideKnowing}), reading the target's own writes through {@code barrier}, and waiting at the barrier
     * while the target side is the winning one. Without it (one-way sync, {@code latest-wins}, custom policies) the
     * before-image rules decide ({@link RowDecision#decide}).
     */
    public void useBarrier(ConvergenceBarrier barrier) {
        this.barrier = barrier;
    }

    /**
     * {@code notHeld} is told of every key a batch's locked read found missing that the writer could not hold to the
     * commit on a PostgreSQL target, its row image refused by the table ({@link MissingKeyHold}):
     * {@code graybridge_keys_not_held_total}.
     */
    public void onKeyNotHeld(Runnable notHeld) {
        hold.onNotHeld(notHeld);
    }

    /**
     * Two-way {@code latest-wins} (build steps 3 and 4): captured changes with a stamp are decided by {@link
     * RowDecision#decideByStamps} after the barrier ({@link #useBarrier}, which must be set) waited for the reverse
     * lane's capture to pass the target's position ({@link ConvergenceBarrier#awaitKnowledge}); snapshot rows and
     * changes without a stamp or a seen position (a dead letter kept under {@code skip}, or one stored before V11) keep
     * the before-image rules, without commit times (a tie: v1). Commit times are never read from the target.
     */
    public void decideByStamps() {
        this.byStamps = true;
    }

    /**
     * Makes each batch's mark carry the stamp of every version it writes ({@link io.graybridge.bridge.guard.MarkStamps}):
     * every change the decision applies (not concurrent, or winning), including a delete of a missing row and an update
     * that changed nothing visible, keyed by the target table and key ({@link KeyText#hash}). The mark is then written
     * after the decisions (the locked read writes no row), still before any row. Under latest-wins with both lanes on.
     */
    public void markVersions() {
        this.markVersions = true;
    }

    /**
     * What this lane stored in {@code key_write} of {@code hashes} (its source side's keys), for its capture's knowledge
     * ({@link io.graybridge.bridge.capture.CaptureKnowledge.Store}); read in chunks of 500 keys.
     */
    public Map<ByteBuffer, io.graybridge.bridge.capture.CaptureKnowledge.Known> storedKnowledge(
            java.util.Collection<ByteBuffer> hashes) {
        return StoredKnowledge.read(target, meta("key_write"), bridge, lane, hashes);
    }

    /** The lane's offsets as stored in the target, keyed the way Debezium's offset store keys them. */
    public Map<ByteBuffer, ByteBuffer> storedOffsets() {
        return target.withHandle(h -> {
            Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
            h.createQuery("SELECT offset_key, offset_value FROM " + meta("lane_offset")
                            + " WHERE bridge = :b AND lane = :l")
                    .bind("b", bridge)
                    .bind("l", lane)
                    .map((rs, ctx) -> {
                        byte[] value = rs.getBytes(2);
                        out.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                        return null;
                    })
                    .list();
            return out;
        });
    }

    /**
     * Applies {@code changes} and stores {@code offsets} and {@code progress} in one transaction marked
     * as the bridge's own (so the reverse lane drops it), retrying transient failures (lost connection,
     * deadlock, serialization, a key inserted concurrently) with backoff. Each change is compared with the
     * target's current row, read and locked in the same transaction, and conflicts are resolved by the
     * policy and recorded (see {@link RowDecision}).
     *
     * @param offsets the positions reached, or empty for a chunk of an unfinished source transaction
     * @param progress what to add to the lane's counters, or {@code null} to leave them as they are
     * @return the conflicts found, by outcome
     * @throws ApplyException naming the table and keys when the batch cannot be applied
     */
    public Outcome apply(List<TargetChange> changes, List<OffsetEntry> offsets, Progress progress)
            throws InterruptedException {
        return apply(changes, InTransaction.NONE, offsets, progress);
    }

    /**
     * Like {@link #apply(List, List, Progress)}, and runs {@code also} in the same transaction after the rows
     * (dead letters recorded or marked retried commit with the rows and the offsets, or not at all).
     */
    public Outcome apply(List<TargetChange> changes, InTransaction also, List<OffsetEntry> offsets, Progress progress)
            throws InterruptedException {
        return apply(changes, also, offsets, progress, BatchKnowledge.NONE);
    }

    /**
     * Like {@link #apply(List, InTransaction, List, Progress)}; the batch's marker carries {@code knowledge}'s
     * delivered position and its key writes are recorded in {@code key_write} in the same transaction.
     */
    public Outcome apply(List<TargetChange> changes, InTransaction also, List<OffsetEntry> offsets, Progress progress,
            BatchKnowledge knowledge) throws InterruptedException {
        long batchNumber = ++batches;
        for (int attempt = 1; ; attempt++) {
            try {
                Outcome outcome = target.inTransaction(h -> {
                    try {
                        Connection c = h.getConnection();
                        Outcome result = Outcome.NONE;
                        if (!changes.isEmpty()) {
                            if (!markVersions) {
                                guard.mark(c, lane, knowledge.delivered());
                            }
                            result = write(c, changes, knowledge.delivered());
                        }
                        also.run(c);
                        storeKeyWrites(c, knowledge.keyWrites());
                        CrashPoints.reached("inside-batch", batchNumber);
                        storeOffsets(c, offsets);
                        if (progress != null || result.conflicts() > 0) {
                            storeProgress(c, progress == null ? Progress.NONE : progress, result);
                        }
                        return result;
                    } catch (SQLException e) {
                        throw new SqlFailure(e);
                    } catch (InterruptedException e) {
                        throw new Stopping(e);
                    }
                });
                CrashPoints.reached("after-commit", batchNumber);
                return outcome;
            } catch (Stopping e) {
                throw e.interrupted;
            } catch (SqlFailure | org.jdbi.v3.core.ConnectionException e) {
                SQLException sql = e instanceof SqlFailure f ? f.sql : findSql(e);
                if (attempt >= MAX_ATTEMPTS || !Retry.isTransient(sql)) {
                    throw new ApplyException(describeFailure(changes, sql), e);
                }
                long pause = Retry.backoffMillis(attempt);
                LOG.warn("lane {}: batch of {} changes failed ({}), retry {} of {} in {} ms",
                        lane, changes.size(), sql == null ? e.getMessage() : sql.getMessage(),
                        attempt, MAX_ATTEMPTS - 1, pause);
                Thread.sleep(pause);
            }
        }
    }

    /** Reads and locks the current rows, decides each change, writes the rows and the conflict records. */
    private Outcome write(Connection c, List<TargetChange> changes, long delivered)
            throws SQLException, InterruptedException {
        boolean commitTimes = resolver.needsCommitTimes() && !byStamps;
        if (commitTimes && target.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalStateException("conflict policy " + resolver.name() + " in one-way sync needs commit times,"
                    + " which " + target.dialect().displayName() + " does not keep (the config check refuses it)");
        }
        CurrentRows current = CurrentRows.lock(c, target.dialect(), tables, changes, commitTimes);
        String phase = this.phase.get();
        java.util.Optional<Side> fixed = barrier == null || byStamps ? java.util.Optional.empty()
                : resolver.fixedWinner(phase);
        Map<String, Long> known = null;
        // two-way latest-wins: S's last write and current version per key hash, read after the barrier
        Map<ByteBuffer, io.graybridge.bridge.capture.CaptureKnowledge.Known> stamped = null;
        // each change's key text if it is decided by knowledge, else null: computed once for the lookup and the decision
        String[] keyTexts = null;
        ByteBuffer[] hashes = null;
        MissingKeyHold.Held held = MissingKeyHold.Held.NONE;
        if (byStamps && changes.stream().anyMatch(TargetWriter::decidedByStamps)) {
            keyTexts = knowledgeKeys(changes, TargetWriter::decidedByStamps);
            hashes = new ByteBuffer[keyTexts.length];
            java.util.Set<ByteBuffer> distinct = new java.util.LinkedHashSet<>();
            for (int i = 0; i < keyTexts.length; i++) {
                if (keyTexts[i] != null) {
                    hashes[i] = ByteBuffer.wrap(KeyText.hash(changes.get(i).table(), keyTexts[i]));
                    distinct.add(hashes[i]);
                }
            }
            held = hold.hold(c, changes, keyTexts, current::row); // before the barrier reads the target's position
            // either side may win, so both lanes wait: the target's own writes must be known up to the locked read
            stamped = barrier.awaitKnowledge(barrier.targetPosition(c), distinct);
        } else if (fixed.isPresent() && changes.stream().anyMatch(TargetWriter::decidedByKnowledge)) {
            keyTexts = knowledgeKeys(changes, TargetWriter::decidedByKnowledge);
            held = hold.hold(c, changes, keyTexts, current::row); // before the barrier reads the target's position
            if (fixed.get() == incomingSide.other()) {
                // into the winning side: the target's own writes must be known up to the locked read
                long position = barrier.targetPosition(c);
                if (!barrier.awaitApplied(position, () -> resolver.fixedWinner(this.phase.get()).equals(fixed))) {
                    throw new SqlFailure(new SQLException("lane " + lane + ": the phase changed the winning side while"
                            + " the batch waited at the barrier; deciding again", "40001"));
                }
            }
            known = barrier.lastWrites(keysOf(changes, keyTexts));
        }
        List<Statement> statements = new ArrayList<>(changes.size());
        List<ConflictRecord> conflicts = new ArrayList<>();
        List<AuditRecord> events = audit == null ? List.of() : new ArrayList<>(changes.size() + 4);
        // the versions this batch writes, per target key (the last), for the mark
        Map<ByteBuffer, io.graybridge.bridge.guard.MarkStamps.Stamp> versions = markVersions ? new java.util.LinkedHashMap<>()
                : null;
        // two-way latest-wins: the stamp of the last version this batch wrote per key hash (the key's current one then)
        Map<ByteBuffer, Instant> written = stamped == null ? null : new HashMap<>();
        int won = 0;
        for (int i = 0; i < changes.size(); i++) {
            TargetChange change = changes.get(i);
            Row now = current.row(change.table(), change.key());
            RowDecision d = stamped != null && keyTexts[i] != null
                    ? decideByStamps(change, now, stamped.get(hashes[i]), written, hashes[i], phase)
                    : known != null && keyTexts[i] != null
                    ? RowDecision.decideKnowing(change, now, current.commitTime(change.table(), change.key()),
                            change.source().seen(), known.getOrDefault(ConvergenceBarrier.id(change.table(), keyTexts[i]),
                                    io.graybridge.bridge.capture.SourcePositions.NONE),
                            incomingSide, fixed.get(), phase)
                    : RowDecision.decide(change, now, current.commitTime(change.table(), change.key()),
                            incomingSide, resolver, phase);
            if (d.conflict() != null) {
                conflicts.add(new ConflictRecord(d, change));
                if (d.winner() == incomingSide) {
                    won++;
                }
            }
            if (audit != null) {
                audit.add(events, change, d, table(change.table()), phase);
            }
            current.put(change.table(), change.key(), d.resultingRow(now));
            if (!held.insertedByHold(change, d) && d.action() != RowDecision.Action.NONE) {
                statements.add(statement(change.table(), d));
            }
            if (versions != null && (d.conflict() == null || d.winner() == incomingSide)) {
                addVersion(versions, change, hashes == null ? null : hashes[i]);
            }
            if (written != null && hashes[i] != null && (d.conflict() == null || d.winner() == incomingSide)) {
                written.put(hashes[i], change.source().stamp());
            }
        }
        if (versions != null) {
            // after the decisions (the locked read wrote nothing), before the rows: capture reads it first
            guard.mark(c, lane, delivered, List.copyOf(versions.values()));
        }
        held.release(c);
        execute(c, statements);
        conflictLog.insert(c, conflicts);
        if (outbox != null) {
            outbox.appendBundle(c, events);
        }
        return new Outcome(won, conflicts.size() - won);
    }

    /**
     * Decides {@code change} by stamps: concurrent when the target's application wrote the key after the change's
     * {@code seen}, the later of the change's stamp and the key's current version's stamp wins (the version this batch
     * wrote last, else the known one).
     */
    private RowDecision decideByStamps(TargetChange change, Row now,
            io.graybridge.bridge.capture.CaptureKnowledge.Known known, Map<ByteBuffer, Instant> written, ByteBuffer hash,
            String phase) {
        long lastWrite = known == null || known.lastWrite() == null ? io.graybridge.bridge.capture.SourcePositions.NONE
                : known.lastWrite().position();
        Instant currentStamp = written.containsKey(hash) ? written.get(hash)
                : known == null || known.version() == null ? null : known.version().stamp();
        return RowDecision.decideByStamps(change, now, change.source().seen(), lastWrite, change.source().stamp(),
                currentStamp, incomingSide, phase);
    }

    /**
     * Records the version {@code change} writes (a captured change with a stamp), replacing an earlier one of its key.
     *
     * @param known the key's hash where the batch computed it already (decided by stamps), else {@code null}
     */
    private void addVersion(Map<ByteBuffer, io.graybridge.bridge.guard.MarkStamps.Stamp> versions, TargetChange change,
            ByteBuffer known) {
        if (change.op() == TargetChange.Op.SNAPSHOT || change.source() == null || change.source().stamp() == null) {
            return;
        }
        byte[] hash;
        if (known != null) {
            hash = known.array();
        } else {
            TableInfo table = table(change.table());
            if (table.primaryKey().isEmpty()) {
                return;
            }
            hash = KeyText.hash(change.table(), KeyText.of(table.primaryKey(), change.key()));
        }
        ByteBuffer id = ByteBuffer.wrap(hash);
        versions.remove(id);
        versions.put(id, new io.graybridge.bridge.guard.MarkStamps.Stamp(hash, change.source().stamp()));
    }

    /** Whether {@code change} is decided by what is known of concurrent writes: captured with its seen position. */
    private static boolean decidedByKnowledge(TargetChange change) {
        return change.op() != TargetChange.Op.SNAPSHOT && change.source() != null && change.source().knowsSeen();
    }

    /** Whether {@code change} is decided by stamps under two-way latest-wins: decided by knowledge, with its stamp. */
    private static boolean decidedByStamps(TargetChange change) {
        return decidedByKnowledge(change) && change.source().stamp() != null;
    }

    /** Each change's key text ({@link KeyText}) if {@code decided} by knowledge, else null. */
    private String[] knowledgeKeys(List<TargetChange> changes, java.util.function.Predicate<TargetChange> decided) {
        String[] keyTexts = new String[changes.size()];
        for (int i = 0; i < keyTexts.length; i++) {
            TargetChange change = changes.get(i);
            if (decided.test(change)) {
                keyTexts[i] = KeyText.of(table(change.table()).primaryKey(), change.key());
            }
        }
        return keyTexts;
    }

    /** The key texts of the changes decided by knowledge ({@link #knowledgeKeys}), by target table. */
    private static Map<String, java.util.Set<String>> keysOf(List<TargetChange> changes, String[] keyTexts) {
        Map<String, java.util.Set<String>> out = new HashMap<>();
        for (int i = 0; i < keyTexts.length; i++) {
            if (keyTexts[i] != null) {
                out.computeIfAbsent(changes.get(i).table(), t -> new java.util.LinkedHashSet<>()).add(keyTexts[i]);
            }
        }
        return out;
    }

    private Statement statement(String tableName, RowDecision d) {
        TableInfo table = table(tableName);
        switch (d.action()) {
            case INSERT: {
                List<String> columns = List.copyOf(d.row().columns());
                Dialect dialect = target.dialect();
                return new Statement(sqlCache.computeIfAbsent("I|" + tableName + "|" + columns,
                        k -> Statements.insert(dialect, table, columns)), new ArrayList<>(d.row().asMap().values()),
                        dialect == Dialect.POSTGRESQL ? dialect.qualified(table.schema(), table.name()) : null,
                        sqlCache.computeIfAbsent("C|" + tableName + "|" + columns,
                                k -> columns.stream().map(dialect::quote).collect(java.util.stream.Collectors.joining(", "))));
            }
            case UPDATE: {
                List<Object> values = new ArrayList<>();
                d.setColumns().forEach(col -> values.add(d.row().get(col)));
                table.primaryKey().forEach(k -> values.add(d.row().get(k)));
                return new Statement(sqlCache.computeIfAbsent("U|" + tableName + "|" + d.setColumns(),
                        k -> Statements.update(target.dialect(), table, d.setColumns())), values);
            }
            case DELETE: {
                List<Object> values = new ArrayList<>();
                table.primaryKey().forEach(k -> values.add(d.row().get(k)));
                return new Statement(sqlCache.computeIfAbsent("D|" + tableName,
                        k -> Statements.delete(target.dialect(), table)), values);
            }
            default:
                throw new IllegalStateException("nothing to write for " + d.action());
        }
    }

    /**
     * Executes {@code statements} in order; consecutive ones with the same SQL go as one JDBC batch, or,
     * for a run of at least {@link CopyRows#MIN_ROWS} inserts whose values all have a text form, as one
     * COPY.
     */
    private static void execute(Connection c, List<Statement> statements) throws SQLException {
        int i = 0;
        while (i < statements.size()) {
            String sql = statements.get(i).sql();
            int j = i;
            while (j < statements.size() && statements.get(j).sql().equals(sql)) {
                j++;
            }
            List<Statement> run = statements.subList(i, j);
            if (!copied(c, run)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Statement s : run) {
                        int index = 1;
                        for (Object value : s.values()) {
                            bind(ps, index++, value);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            i = j;
        }
    }

    /** Writes a run of inserts with COPY; {@code false} when the run is short or not an insert or a value needs binding. */
    private static boolean copied(Connection c, List<Statement> run) throws SQLException {
        Statement first = run.get(0);
        if (first.copyInto() == null || run.size() < CopyRows.MIN_ROWS) {
            return false;
        }
        byte[] data = CopyRows.encode(run.stream().map(Statement::values).toList());
        if (data == null) {
            return false;
        }
        CopyRows.copy(c, first.copyInto(), first.copyColumns(), data);
        return true;
    }

    /**
     * One statement of the batch; an insert also names its table and columns, so a run of them can go as a
     * COPY ({@code copyInto} is {@code null} for updates and deletes).
     */
    private record Statement(String sql, List<Object> values, String copyInto, String copyColumns) {
        Statement(String sql, List<Object> values) {
            this(sql, values, null, null);
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (value instanceof BigInteger big) {
            ps.setBigDecimal(index, new BigDecimal(big));
        } else if (value instanceof Instant instant) {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof List<?> list) {
            // an array: its literal, typed by the column it goes to (an Object[] with a null cannot be typed)
            String literal = CopyRows.arrayLiteral(list);
            if (literal == null) {
                throw new SQLException("cannot write the array " + list + ": an element has no PostgreSQL text form", "22023");
            }
            ps.setObject(index, literal, Types.OTHER);
        } else {
            ps.setObject(index, value);
        }
    }

    private void storeOffsets(Connection c, List<OffsetEntry> offsets) throws SQLException {
        if (offsets.isEmpty()) {
            return;
        }
        // (the metadata tables have no unique index but their primary key, so MariaDB's ON DUPLICATE KEY is an upsert)
        String sql = target.dialect().mysqlFamily()
                ? "INSERT INTO " + meta("lane_offset") + " (bridge, lane, offset_key, offset_value, updated_at)"
                        + " VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP(6))"
                        + " ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), updated_at = CURRENT_TIMESTAMP(6)"
                : "INSERT INTO " + meta("lane_offset") + " (bridge, lane, offset_key, offset_value, updated_at)"
                        + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (bridge, lane, offset_key)"
                        + " DO UPDATE SET offset_value = EXCLUDED.offset_value, updated_at = now()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (OffsetEntry o : offsets) {
                ps.setString(1, bridge);
                ps.setString(2, lane);
                ps.setBytes(3, o.key());
                ps.setBytes(4, o.value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records the source side's application writes this batch captured in {@code key_write}, one row per source
     * table and key, never moving a key's position back (a replayed chunk of an oversized transaction).
     */
    private void storeKeyWrites(Connection c, List<KeyWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        // MariaDB assigns left to right, so the position, which the other assignments compare with, goes last. The
        // version (latest-wins) is the one as of the batch's offset, written whenever one is given; a key known only
        // from a mark (position -1, no table) keeps the stored write
        String sql = target.dialect().mysqlFamily()
                ? "INSERT INTO " + meta("key_write") + " (bridge, lane, key_hash, table_name, row_key, write_position,"
                        + " tombstone, stamp, version_stamp, version_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE"
                        + " version_stamp = COALESCE(VALUES(version_stamp), version_stamp),"
                        + " version_side = COALESCE(VALUES(version_side), version_side),"
                        + " table_name = COALESCE(table_name, VALUES(table_name)),"
                        + " row_key = COALESCE(row_key, VALUES(row_key)),"
                        + " tombstone = IF(VALUES(write_position) >= write_position, VALUES(tombstone), tombstone),"
                        + " stamp = IF(VALUES(write_position) >= write_position, VALUES(stamp), stamp),"
                        + " write_position = GREATEST(write_position, VALUES(write_position))"
                : "INSERT INTO " + meta("key_write") + " AS kw (bridge, lane, key_hash, table_name, row_key,"
                        + " write_position, tombstone, stamp, version_stamp, version_side)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (bridge, lane, key_hash) DO UPDATE SET"
                        + " write_position = GREATEST(kw.write_position, EXCLUDED.write_position),"
                        + " tombstone = CASE WHEN EXCLUDED.write_position >= kw.write_position THEN EXCLUDED.tombstone"
                        + " ELSE kw.tombstone END,"
                        + " stamp = CASE WHEN EXCLUDED.write_position >= kw.write_position THEN EXCLUDED.stamp"
                        + " ELSE kw.stamp END,"
                        + " table_name = COALESCE(kw.table_name, EXCLUDED.table_name),"
                        + " row_key = COALESCE(kw.row_key, EXCLUDED.row_key),"
                        + " version_stamp = COALESCE(EXCLUDED.version_stamp, kw.version_stamp),"
                        + " version_side = COALESCE(EXCLUDED.version_side, kw.version_side)"
                        + " WHERE EXCLUDED.write_position >= kw.write_position OR EXCLUDED.version_stamp IS NOT NULL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (KeyWrite w : writes) {
                ps.setString(1, bridge);
                ps.setString(2, lane);
                ps.setBytes(3, w.hash());
                ps.setString(4, w.table());
                ps.setString(5, w.key());
                ps.setLong(6, w.position());
                ps.setBoolean(7, w.tombstone());
                ps.setTimestamp(8, w.stamp() == null ? null : Timestamp.from(w.stamp()));
                if (w.versionStamp() == null) {
                    ps.setNull(9, Types.BIGINT);
                    ps.setNull(10, Types.VARCHAR);
                } else {
                    ps.setLong(9, w.versionStamp().toEpochMilli());
                    ps.setString(10, w.versionSide().id());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void storeProgress(Connection c, Progress p, Outcome o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(target.dialect().mysqlFamily() ? mariaDbProgressSql()
                : "INSERT INTO " + meta("lane_progress")
                + " AS lp (bridge, lane, snapshot_rows, changes_applied, batches_applied, last_source_position,"
                + " last_source_commit, last_applied_at, echoes_suppressed, conflicts_incoming_won,"
                + " conflicts_current_kept) VALUES (?, ?, ?, ?, 1, ?, ?, now(), ?, ?, ?)"
                + " ON CONFLICT (bridge, lane) DO UPDATE SET"
                + " snapshot_rows = lp.snapshot_rows + EXCLUDED.snapshot_rows,"
                + " changes_applied = lp.changes_applied + EXCLUDED.changes_applied,"
                + " batches_applied = lp.batches_applied + 1,"
                + " last_source_position = COALESCE(EXCLUDED.last_source_position, lp.last_source_position),"
                + " last_source_commit = COALESCE(EXCLUDED.last_source_commit, lp.last_source_commit),"
                + " last_applied_at = now(),"
                + " echoes_suppressed = lp.echoes_suppressed + EXCLUDED.echoes_suppressed,"
                + " conflicts_incoming_won = lp.conflicts_incoming_won + EXCLUDED.conflicts_incoming_won,"
                + " conflicts_current_kept = lp.conflicts_current_kept + EXCLUDED.conflicts_current_kept")) {
            ps.setString(1, bridge);
            ps.setString(2, lane);
            ps.setLong(3, p.snapshotRows());
            ps.setLong(4, p.changes());
            ps.setString(5, p.lastPosition());
            ps.setTimestamp(6, p.lastCommit() == null ? null : Timestamp.from(p.lastCommit()));
            ps.setLong(7, p.echoesSuppressed());
            ps.setLong(8, o.incomingWon());
            ps.setLong(9, o.currentKept());
            ps.executeUpdate();
        }
    }

    private String mariaDbProgressSql() {
        return "INSERT INTO " + meta("lane_progress")
                + " (bridge, lane, snapshot_rows, changes_applied, batches_applied, last_source_position,"
                + " last_source_commit, last_applied_at, echoes_suppressed, conflicts_incoming_won,"
                + " conflicts_current_kept) VALUES (?, ?, ?, ?, 1, ?, ?, CURRENT_TIMESTAMP(6), ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE"
                + " snapshot_rows = snapshot_rows + VALUES(snapshot_rows),"
                + " changes_applied = changes_applied + VALUES(changes_applied),"
                + " batches_applied = batches_applied + 1,"
                + " last_source_position = COALESCE(VALUES(last_source_position), last_source_position),"
                + " last_source_commit = COALESCE(VALUES(last_source_commit), last_source_commit),"
                + " last_applied_at = CURRENT_TIMESTAMP(6),"
                + " echoes_suppressed = echoes_suppressed + VALUES(echoes_suppressed),"
                + " conflicts_incoming_won = conflicts_incoming_won + VALUES(conflicts_incoming_won),"
                + " conflicts_current_kept = conflicts_current_kept + VALUES(conflicts_current_kept)";
    }

    private TableInfo table(String name) {
        TableInfo t = tables.get(name);
        if (t == null) {
            throw new IllegalStateException("target table " + name + " was not inspected at start");
        }
        return t;
    }

    private String meta(String table) {
        return target.dialect().qualified(metadataSchema, table);
    }

    private String describeFailure(List<TargetChange> changes, SQLException e) {
        Map<String, List<String>> keysByTable = new HashMap<>();
        for (TargetChange ch : changes) {
            List<String> keys = keysByTable.computeIfAbsent(ch.table(), t -> new ArrayList<>());
            if (keys.size() < 5) {
                keys.add(ch.key().toString());
            }
        }
        SQLException root = e == null ? null : (e.getNextException() != null ? e.getNextException() : e);
        return "lane " + lane + ": cannot apply a batch of " + changes.size() + " changes to the "
                + target.config().describe() + " (tables and first keys: " + keysByTable + "): "
                + (root == null ? "unknown error" : root.getMessage() + " [SQLState " + root.getSQLState() + "]")
                + ". The batch was rolled back and the lane stopped at its last committed position;"
                + " fix the cause and start the bridge again.";
    }

    private static SQLException findSql(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** More work for a batch's transaction, on its connection. */
    @FunctionalInterface
    public interface InTransaction {
        InTransaction NONE = c -> {};

        void run(Connection c) throws SQLException;
    }

    /** What a batch adds to the lane's progress counters. */
    public record Progress(long snapshotRows, long changes, String lastPosition, Instant lastCommit, long echoesSuppressed) {
        static final Progress NONE = new Progress(0, 0, null, null, 0);
    }

    /** The conflicts a batch met: how many the incoming change won, how many kept the target's version. */
    public record Outcome(int incomingWon, int currentKept) {
        static final Outcome NONE = new Outcome(0, 0);

        public int conflicts() {
            return incomingWon + currentKept;
        }
    }

    /** Carries an {@link InterruptedException} (the lane stops during the barrier) out of the transaction callback. */
    private static final class Stopping extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient InterruptedException interrupted;

        Stopping(InterruptedException interrupted) {
            super(interrupted);
            this.interrupted = interrupted;
        }
    }

    /** Carries a checked {@link SQLException} out of the transaction callback. */
    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SQLException sql;

        SqlFailure(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }
}
