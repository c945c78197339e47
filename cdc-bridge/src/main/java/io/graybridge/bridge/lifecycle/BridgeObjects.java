package io.graybridge.bridge.lifecycle;

import io.graybridge.bridge.audit.AuditRelay;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a finalized bridge leaves on the servers, and its removal on request: each lane's replication slot
 * and publication on its source, and the bridge's metadata on each side. Never an application table.
 */
public final class BridgeObjects {
    private final BridgeConfig cfg;
    private final SideDatabase v1;
    private final SideDatabase v2;

    public BridgeObjects(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        this.cfg = cfg;
        this.v1 = v1;
        this.v2 = v2;
    }

    private SideDatabase side(Side s) {
        return s == Side.V1 ? v1 : v2;
    }

    /** The lanes whose slot a capture still holds, as {@code lane (slot ..., server process N)}. */
    public List<String> activeSlots() {
        List<String> out = new ArrayList<>();
        for (Direction d : Direction.values()) {
            LaneConfig lane = cfg.lane(d);
            if (lane == null) {
                continue;
            }
            side(d.source()).withHandle(h -> h.createQuery("SELECT active_pid FROM pg_replication_slots WHERE slot_name = :s"
                            + " AND active")
                    .bind("s", lane.slotName())
                    .mapTo(Integer.class)
                    .findOne())
                    .ifPresent(pid -> out.add(d.laneName() + " (slot " + lane.slotName() + ", server process " + pid + ")"));
        }
        return out;
    }

    /** Waits up to {@code timeout} until no capture holds a lane's slot; returns the lanes still holding one. */
    public List<String> awaitLanesStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> active = activeSlots();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            active = activeSlots();
        }
        return active;
    }

    /**
     * Removes the lanes' slots and publications and the bridge's metadata, printing each removal; returns
     * whether everything is gone. A slot still in use, or an outbox with events Kafka has not acknowledged, keeps
     * what depends on it (and says so). In a metadata schema that other bridges share, only this bridge's rows
     * are deleted.
     */
    public boolean drop(PrintWriter out, PrintWriter err) throws InterruptedException {
        boolean complete = true;
        for (Direction d : Direction.values()) {
            LaneConfig lane = cfg.lane(d);
            if (lane == null) {
                continue;
            }
            SideDatabase source = side(d.source());
            String where = source.config().describe();
            Integer pid = source.withHandle(h -> h.createQuery("SELECT coalesce(active_pid, 0) FROM pg_replication_slots"
                            + " WHERE slot_name = :s")
                    .bind("s", lane.slotName())
                    .mapTo(Integer.class)
                    .findOne()
                    .orElse(null));
            if (pid == null) {
                out.printf(Locale.ROOT, "replication slot %s on %s: not there%n", lane.slotName(), where);
            } else if (pid != 0) {
                err.printf(Locale.ROOT, "error: replication slot %s on %s is still in use by server process %d (a"
                        + " bridge process still runs lane %s): stop it, then run this again%n", lane.slotName(), where,
                        pid, d.laneName());
                complete = false;
            } else {
                source.withHandle(h -> h.createQuery("SELECT pg_drop_replication_slot(:s)").bind("s", lane.slotName())
                        .mapTo(String.class).findOne());
                out.printf(Locale.ROOT, "removed replication slot %s on %s%n", lane.slotName(), where);
            }
            boolean publication = source.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_publication WHERE pubname = :p")
                    .bind("p", lane.publicationName())
                    .mapTo(Integer.class)
                    .one()) > 0;
            if (!publication) {
                out.printf(Locale.ROOT, "publication %s on %s: not there%n", lane.publicationName(), where);
                continue;
            }
            try {
                source.useTransaction(h -> h.execute("DROP PUBLICATION IF EXISTS " + source.dialect().quote(lane.publicationName())));
                out.printf(Locale.ROOT, "removed publication %s on %s%n", lane.publicationName(), where);
            } catch (RuntimeException e) {
                err.printf(Locale.ROOT, "error: cannot remove publication %s on %s (%s): a DBA who owns it runs DROP"
                        + " PUBLICATION %s%n", lane.publicationName(), where, rootMessage(e), lane.publicationName());
                complete = false;
            }
        }
        if (!complete) {
            err.println("the bridge metadata is kept until every slot is removed (it holds the lanes' positions)");
            return false;
        }
        for (Side s : Outbox.sides(cfg)) {
            complete &= dropMetadata(side(s), out, err);
        }
        return complete;
    }

    private boolean dropMetadata(SideDatabase db, PrintWriter out, PrintWriter err) throws InterruptedException {
        String schema = cfg.metadataSchema();
        String where = db.config().describe();
        boolean exists = db.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_namespace WHERE nspname = :s")
                .bind("s", schema).mapTo(Integer.class).one()) > 0;
        if (!exists) {
            out.printf(Locale.ROOT, "metadata schema %s on %s: not there%n", schema, where);
            return true;
        }
        if (!drainOutbox(db, out, err)) {
            return false;
        }
        List<String> tables = db.withHandle(h -> h.createQuery("SELECT c.table_name FROM information_schema.columns c"
                        + " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                        + " AND t.table_type = 'BASE TABLE' WHERE c.table_schema = :s AND c.column_name = 'bridge'"
                        + " ORDER BY c.table_name")
                .bind("s", schema).mapTo(String.class).list());
        List<String> others = new ArrayList<>();
        for (String t : tables) {
            String q = db.dialect().qualified(schema, t);
            others.addAll(db.withHandle(h -> h.createQuery("SELECT DISTINCT bridge FROM " + q + " WHERE bridge <> :b")
                    .bind("b", cfg.name()).mapTo(String.class).list()));
        }
        if (others.isEmpty()) {
            db.useTransaction(h -> h.execute("DROP SCHEMA " + db.dialect().quote(schema) + " CASCADE"));
            out.printf(Locale.ROOT, "removed metadata schema %s on %s (%d tables)%n", schema, where, tables.size() + 1);
            return true;
        }
        long rows = db.inTransaction(h -> {
            long n = 0;
            for (String t : tables) {
                n += h.createUpdate("DELETE FROM " + db.dialect().qualified(schema, t) + " WHERE bridge = :b")
                        .bind("b", cfg.name()).execute();
            }
            return n;
        });
        out.printf(Locale.ROOT, "removed bridge '%s''s %d row(s) from metadata schema %s on %s (kept: bridge(s) %s use"
                + " it too)%n", cfg.name(), rows, schema, where, String.join(", ", new java.util.TreeSet<>(others)));
        return true;
    }

    /** With audit on, publishes what the outbox on {@code db} still holds before its schema goes. */
    private boolean drainOutbox(SideDatabase db, PrintWriter out, PrintWriter err) throws InterruptedException {
        Outbox.Backlog backlog = Outbox.backlog(db, cfg.metadataSchema(), cfg.name());
        if (backlog.waiting() == 0) {
            return true;
        }
        if (!cfg.audit().enabled()) {
            out.printf(Locale.ROOT, "audit is off: %d audit event(s) in the outbox on %s are removed unpublished%n",
                    backlog.waiting(), db.config().describe());
            return true;
        }
        out.printf(Locale.ROOT, "publishing the %d audit event(s) still in the outbox on %s first%n", backlog.waiting(),
                db.config().describe());
        try (AuditRelay relay = new AuditRelay(db, cfg.metadataSchema(), cfg.name(), cfg.audit())) {
            relay.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                backlog = Outbox.backlog(db, cfg.metadataSchema(), cfg.name());
                if (backlog.waiting() == 0) {
                    return true;
                }
                Thread.sleep(250);
            }
            err.printf(Locale.ROOT, "error: %d audit event(s) in the outbox on %s were not published within 60 s (%s);"
                    + " the metadata there is kept so they are not lost: make Kafka reachable and run this again%n",
                    backlog.waiting(), db.config().describe(), relay.lastError() == null ? "no error reported" : relay.lastError());
            return false;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
