package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.AuditBundle;
import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.AuditRecord;
import io.graybridge.bridge.audit.ChangeFacts;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.audit.JsonValues;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.conflict.BuiltInResolvers;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The events the relay renders from the facts the writer stores are byte for byte the events the writer rendered
 * itself before (up to schema V8): same ids, record keys, types and JSON, for every kind of change, value and masking.
 */
class ChangeFactsRenderingTest {
    private static final TableInfo CLIENTS = new TableInfo("s", "clients", List.of(), List.of("id", "day"), true);

    /**
     * The former writer's rendering of a {@code change.applied} event (ChangeAudit as of commit 492c01c), kept here
     * verbatim as the reference the facts must reproduce.
     */
    private static AuditEvent formerChangeApplied(String bridge, Direction direction, ColumnMasker masker,
            TargetChange change, RowDecision d, TableInfo table, String phase) {
        String lane = direction.laneName();
        String source = AuditEvent.source(bridge, lane);
        String key = ConflictLog.json(change.key());
        String subject = change.table() + "/" + key;
        String op = change.op().name().toLowerCase(Locale.ROOT);
        Instant time = change.sourceCommit() == null ? Instant.now() : change.sourceCommit();
        List<String> keyColumns = table.primaryKey();
        SourceChange origin = change.source();
        String sourceTable = origin == null ? null : origin.table();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bridge", bridge);
        data.put("lane", lane);
        data.put("sourceSide", direction.source().id());
        data.put("targetSide", direction.target().id());
        data.put("mapping", change.mapping());
        data.put("sourceTable", sourceTable);
        data.put("table", change.table());
        data.put("key", JsonValues.of(change.key()));
        data.put("operation", op);
        data.put("sourceOperation", origin == null ? null : origin.op().name().toLowerCase(Locale.ROOT));
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("action", d.action().name().toLowerCase(Locale.ROOT));
        decision.put("columns", d.action() == RowDecision.Action.UPDATE ? d.setColumns() : null);
        decision.put("conflict", d.conflict() == null ? null : d.conflict().kind().name());
        decision.put("winner", d.conflict() == null ? null : d.winner().id());
        data.put("decision", decision);
        data.put("before", masker.apply(change.table(), change.before(), keyColumns));
        data.put("after", masker.apply(change.table(), change.after(), keyColumns));
        if (origin != null && (!change.table().equals(sourceTable) || !Objects.equals(change.before(), origin.before())
                || !Objects.equals(change.after(), origin.after()))) {
            data.put("sourceBefore", masker.apply(sourceTable, origin.before(), List.of()));
            data.put("sourceAfter", masker.apply(sourceTable, origin.after(), List.of()));
        } else if (origin == null) {
            data.put("sourceBefore", null);
            data.put("sourceAfter", null);
        }
        data.put("position", change.position());
        data.put("transaction", origin == null ? null : origin.txId());
        data.put("commitTime", change.sourceCommit() == null ? null : change.sourceCommit().toString());
        data.put("phase", phase);
        String at = change.op() == TargetChange.Op.SNAPSHOT ? "backfill" : String.valueOf(change.position());
        String id = AuditEvent.stableId("change", source, at, change.table(), key, op);
        return new AuditEvent(id, source, EventType.CHANGE_APPLIED, subject, time, subject, data);
    }

    /** A row with a value of every canonical type; {@code email} and {@code secret} are the sensitive columns. */
    private static Row row(long id, String name, Object email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("day", LocalDate.of(2026, 11, 27));
        m.put("name", name);
        m.put("email", email);
        m.put("secret", new BigDecimal("-12.3400"));
        m.put("small", (short) -3);
        m.put("count", 7);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("ratio", 1.5f);
        m.put("precise", -0.1d);
        m.put("flag", true);
        m.put("off", false);
        m.put("none", null);
        m.put("at", LocalDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000));
        m.put("clock", LocalTime.of(23, 59, 59, 999_999_999));
        m.put("zoned", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        m.put("instant", Instant.parse("1969-12-31T23:59:59.000001Z"));
        m.put("uuid", UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
        m.put("bytes", new byte[] {0, 1, -1, 127});
        m.put("text", "quote \" backslash \\ newline \n nul \u0000 emoji \uD83D\uDE00 \u00e9");
        return Row.of(m);
    }

    private static Row key(long id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("day", LocalDate.of(2026, 11, 27));
        return Row.of(m);
    }

    private static Row renamed(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.asMap().forEach((k, v) -> m.put(k.equals("name") ? "full_name" : k, v));
        return Row.of(m);
    }

    /** Changes of every kind: identity mapping, renamed table and column, unknown origin, backfill, conflicts. */
    private static List<Object[]> cases() {
        Instant commit = Instant.parse("2026-11-27T10:00:00.123456Z");
        Row before = row(1, "Ada", "ada@mail.test");
        Row after = row(1, "Ada L.", "ada@mail.test");
        Row other = row(1, "Bob", "bob@mail.test");
        List<String> columns = new ArrayList<>(before.columns());
        List<Object[]> out = new ArrayList<>();
        // identity: source images left out
        SourceChange same = new SourceChange(Side.V1, "clients", SourceChange.Op.UPDATE, before, after, "0/16B3748", "7", commit);
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.UPDATE, key(1), before, after, columns,
                List.of("name"), commit, "0/16B3748", "clients", same), before});
        // renamed table and column: source images carried
        SourceChange customers = new SourceChange(Side.V1, "customers", SourceChange.Op.UPDATE, renamed(before),
                renamed(after), "0/16B3749", "8", commit);
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.UPDATE, key(1), before, after, columns,
                List.of("name"), commit, "0/16B3749", "customer-to-client", customers), before});
        // an update that meets another value: a conflict (decided both ways by the two resolvers)
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.UPDATE, key(1), before, after, columns,
                List.of("name"), commit, "0/16B3750", "clients", same), other});
        // no origin known, an insert
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.INSERT, key(2), null, row(2, "Eve", null), columns,
                columns, commit, "0/16B3751"), null});
        // a backfill row (its id does not depend on the position) over an existing row
        SourceChange read = new SourceChange(Side.V1, "clients", SourceChange.Op.SNAPSHOT, null, after, "0/1", null, commit);
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.SNAPSHOT, key(1), null, after, columns, columns,
                commit, "0/1", "clients", read), other});
        // a delete, with a source commit time left unknown in the data but given as the event time
        SourceChange gone = new SourceChange(Side.V1, "customers", SourceChange.Op.DELETE, renamed(before), null, "0/16B3752",
                "9", commit);
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.DELETE, key(1), before, null, columns, columns,
                commit, "0/16B3752", null, gone), before});
        // a delete that finds a changed row
        out.add(new Object[] {new TargetChange("clients", TargetChange.Op.DELETE, key(1), before, null, columns, columns,
                commit, "0/16B3753", "clients", gone), other});
        return out;
    }

    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldRenderFromTheFactsExactlyWhatTheWriterRenderedBefore(AuditConfig.Masking masking) {
        ColumnMasker masker = new ColumnMasker(Set.of("clients.email", "clients.secret", "customers.email", "customers.secret",
                "clients.id"), masking, "salt");
        int conflicts = 0;
        for (ConflictResolver resolver : List.of(new BuiltInResolvers.V1Wins(), new BuiltInResolvers.V2Wins())) {
            ChangeAudit audit = new ChangeAudit("shop", Direction.FORWARD, masker, resolver.name());
            List<AuditRecord> records = new ArrayList<>();
            List<AuditEvent> former = new ArrayList<>();
            for (Object[] c : cases()) {
                TargetChange change = (TargetChange) c[0];
                RowDecision d = RowDecision.decide(change, (Row) c[1], null, Side.V1, resolver, "dual");
                int before = records.size();
                audit.add(records, change, d, CLIENTS, "dual");
                former.add(formerChangeApplied("shop", Direction.FORWARD, masker, change, d, CLIENTS, "dual"));
                assertThat(records.get(before)).isInstanceOf(ChangeFacts.class);
                if (d.conflict() != null) {
                    conflicts++;
                    assertThat(records).hasSize(before + 2);
                    AuditEvent conflict = (AuditEvent) records.get(before + 1);
                    assertThat(conflict.data().get("changeId")).isEqualTo(former.get(former.size() - 1).id());
                    former.add(conflict); // rendered by the writer as before
                }
            }
            List<AuditBundle.Entry> relayed = AuditBundle.unpack(AuditBundle.pack(records), masker);

            assertThat(relayed).hasSize(former.size());
            for (int i = 0; i < former.size(); i++) {
                AuditEvent e = former.get(i);
                AuditBundle.Entry r = relayed.get(i);
                assertThat(r.id()).isEqualTo(e.id());
                assertThat(r.type()).isEqualTo(e.type().type());
                assertThat(r.recordKey()).isEqualTo(e.recordKey());
                assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo(e.toJson());
                assertThat(r.payload()).isEqualTo(e.toJsonBytes());
                assertThat(new String(r.payload(), StandardCharsets.UTF_8)).doesNotContain("ada@mail.test")
                        .doesNotContain("bob@mail.test").doesNotContain("-12.34");
            }
            assertThat(AuditBundle.ids(AuditBundle.pack(records))).isEqualTo(former.stream().map(AuditEvent::id).toList());
        }
        assertThat(conflicts).as("the cases hold conflicts").isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldGiveAReplayedChangeTheSameIdAndBytes(AuditConfig.Masking masking) {
        ColumnMasker masker = new ColumnMasker(Set.of("clients.email"), masking, "salt");
        ChangeAudit audit = new ChangeAudit("shop", Direction.BACKWARD, masker, "v1-wins");
        List<byte[]> bundles = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            List<AuditRecord> records = new ArrayList<>();
            for (Object[] c : cases()) {
                TargetChange change = (TargetChange) c[0];
                audit.add(records, change, RowDecision.decide(change, (Row) c[1], null, Side.V2,
                        new BuiltInResolvers.V1Wins(), "dual"), CLIENTS, "dual");
            }
            bundles.add(AuditBundle.pack(records));
        }
        assertThat(bundles.get(1)).isEqualTo(bundles.get(0));
        List<AuditBundle.Entry> first = AuditBundle.unpack(bundles.get(0), masker);
        List<AuditBundle.Entry> again = AuditBundle.unpack(bundles.get(1), masker);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).id()).isEqualTo(first.get(i).id());
            assertThat(again.get(i).payload()).isEqualTo(first.get(i).payload());
        }
    }
}
