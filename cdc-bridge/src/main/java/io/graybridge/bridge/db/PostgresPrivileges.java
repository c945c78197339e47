package io.graybridge.bridge.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * What the bridge's user may do on a PostgreSQL side, checked before anything is created: each missing
 * privilege is reported with the statement that grants it (README, "PostgreSQL sides"). A superuser passes
 * every check. Nothing here changes the database.
 */
final class PostgresPrivileges {
    private final SideDatabase db;
    private final String user;
    private final boolean superuser;

    PostgresPrivileges(SideDatabase db) {
        this.db = db;
        Object[] role = db.withHandle(h -> h.createQuery(
                        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
                .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getBoolean(2)})
                .one());
        this.user = (String) role[0];
        this.superuser = (Boolean) role[1];
    }

    /**
     * Capture of {@code tables} (unqualified, in {@code schema}) through {@code publication}: the REPLICATION
     * attribute (slot), SELECT (snapshot), and a publication listing exactly these tables, or the right to
     * create it (CREATE on the database and ownership of every table).
     *
     * @param problem receives a message and the statement that fixes it
     */
    void checkCapture(String lane, String schema, Collection<String> tables, String publication,
            BiConsumer<String, String> problem) {
        if (superuser) {
            return;
        }
        boolean replication = db.withHandle(h -> h.createQuery(
                "SELECT rolreplication FROM pg_roles WHERE rolname = current_user").mapTo(Boolean.class).one());
        if (!replication) {
            problem.accept(what() + " has no REPLICATION attribute: lane " + lane
                    + " creates and reads a replication slot", "ALTER ROLE " + q(user) + " REPLICATION;");
        }
        boolean readAllStats = db.withHandle(h -> h.createQuery(
                "SELECT pg_has_role('pg_read_all_stats', 'USAGE')").mapTo(Boolean.class).one());
        if (!readAllStats) {
            problem.accept(what() + " is not a member of pg_read_all_stats: whether lane " + lane
                            + " streams (its snapshot done) is read from pg_stat_replication, which shows its state"
                            + " only to that role", "GRANT pg_read_all_stats TO " + q(user) + ";");
        }
        checkTables(schema, tables, List.of("SELECT"), "lane " + lane + " reads", problem);
        String list = String.join(", ", tables.stream().map(t -> q(schema) + "." + q(t)).toList());
        List<Object[]> pub = db.withHandle(h -> h.createQuery(
                        "SELECT puballtables, pg_has_role(pubowner, 'USAGE') FROM pg_publication WHERE pubname = :p")
                .bind("p", publication)
                .map((rs, ctx) -> new Object[] {rs.getBoolean(1), rs.getBoolean(2)})
                .list());
        boolean ownsTables = db.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relname IN (<t>)"
                        + " AND NOT pg_has_role(c.relowner, 'USAGE')")
                .bind("s", schema)
                .bindList("t", List.copyOf(tables))
                .mapTo(Integer.class)
                .one()) == 0;
        if (pub.isEmpty()) {
            boolean createOnDatabase = db.withHandle(h -> h.createQuery(
                    "SELECT has_database_privilege(current_database(), 'CREATE')").mapTo(Boolean.class).one());
            if (!createOnDatabase || !ownsTables) {
                problem.accept("publication " + publication + " does not exist on the " + db.config().describe()
                                + ", and " + user + " may not create it (that needs CREATE on the database and"
                                + " ownership of the tables): lane " + lane + " captures through it",
                        "as the tables' owner: CREATE PUBLICATION " + q(publication) + " FOR TABLE " + list + ";");
            }
            return;
        }
        if ((Boolean) pub.get(0)[0]) {
            problem.accept("publication " + publication + " on the " + db.config().describe()
                            + " is FOR ALL TABLES: lane " + lane + " needs one listing exactly its tables",
                    "as its owner: DROP PUBLICATION " + q(publication) + "; CREATE PUBLICATION " + q(publication)
                            + " FOR TABLE " + list + ";");
            return;
        }
        List<String> publishedList = db.withHandle(h -> h.createQuery(
                        "SELECT tablename FROM pg_publication_tables WHERE pubname = :p AND schemaname = :s")
                .bind("p", publication)
                .bind("s", schema)
                .mapTo(String.class)
                .list());
        Set<String> published = new TreeSet<>(publishedList);
        int elsewhere = db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_publication_tables WHERE pubname = :p AND schemaname <> :s")
                .bind("p", publication)
                .bind("s", schema)
                .mapTo(Integer.class)
                .one());
        boolean same = elsewhere == 0 && published.equals(new TreeSet<>(tables));
        if (!same && !((Boolean) pub.get(0)[1] && ownsTables)) {
            problem.accept("publication " + publication + " on the " + db.config().describe() + " lists "
                            + (published.isEmpty() && elsewhere == 0 ? "no table" : published + (elsewhere > 0
                                    ? " and " + elsewhere + " table(s) of other schemas" : ""))
                            + ", not the tables of lane " + lane + " " + new TreeSet<>(tables) + ", and " + user
                            + " may not change it (that needs ownership of the publication and of the tables)",
                    "as the owner of the publication and the tables: ALTER PUBLICATION " + q(publication)
                            + " SET TABLE " + list + ";");
        }
    }

    /** The writer on {@code tables}: it reads and locks target rows by key, inserts, updates and deletes. */
    void checkWriter(String lane, String schema, Collection<String> tables, BiConsumer<String, String> problem) {
        if (!superuser) {
            checkTables(schema, tables, List.of("SELECT", "INSERT", "UPDATE", "DELETE"), "lane " + lane + " writes",
                    problem);
        }
    }

    /**
     * The metadata schema: Flyway creates and migrates it, so the user needs CREATE on the database, or the
     * schema exists and the user owns it (CREATE SCHEMA ... AUTHORIZATION).
     */
    void checkMetadataSchema(String schema, BiConsumer<String, String> problem) {
        if (superuser) {
            return;
        }
        List<Boolean> owned = db.withHandle(h -> h.createQuery(
                        "SELECT pg_has_role(nspowner, 'USAGE') FROM pg_namespace WHERE nspname = :s")
                .bind("s", schema)
                .mapTo(Boolean.class)
                .list());
        if (owned.isEmpty()) {
            boolean createOnDatabase = db.withHandle(h -> h.createQuery(
                    "SELECT has_database_privilege(current_database(), 'CREATE')").mapTo(Boolean.class).one());
            if (!createOnDatabase) {
                problem.accept("the bridge's metadata schema " + schema + " does not exist on the "
                                + db.config().describe() + ", and " + user + " may not create it",
                        "CREATE SCHEMA " + q(schema) + " AUTHORIZATION " + q(user) + ";");
            }
        } else if (!owned.get(0)) {
            problem.accept("the bridge's metadata schema " + schema + " on the " + db.config().describe()
                            + " belongs to another role: " + user + " creates and migrates its tables",
                    "ALTER SCHEMA " + q(schema) + " OWNER TO " + q(user) + ";");
        }
    }

    private void checkTables(String schema, Collection<String> tables, List<String> privileges, String why,
            BiConsumer<String, String> problem) {
        boolean usage = db.withHandle(h -> h.createQuery("SELECT has_schema_privilege(:s, 'USAGE')")
                .bind("s", schema).mapTo(Boolean.class).one());
        if (!usage) {
            problem.accept(what() + " has no USAGE on schema " + schema + ": " + why + " its tables",
                    "GRANT USAGE ON SCHEMA " + q(schema) + " TO " + q(user) + ";");
            return;
        }
        for (String table : new TreeSet<>(tables)) {
            List<String> lacking = new ArrayList<>();
            for (String privilege : privileges) {
                boolean has = db.withHandle(h -> h.createQuery("SELECT has_table_privilege(:t, :p)")
                        .bind("t", q(schema) + "." + q(table))
                        .bind("p", privilege)
                        .mapTo(Boolean.class)
                        .one());
                if (!has) {
                    lacking.add(privilege);
                }
            }
            if (!lacking.isEmpty()) {
                problem.accept(what() + " lacks " + String.join(", ", lacking) + " on " + schema + "." + table
                                + ": " + why + " it",
                        "GRANT " + String.join(", ", privileges) + " ON " + q(schema) + "." + q(table) + " TO "
                                + q(user) + ";");
            }
        }
    }

    private String what() {
        return "user " + user + " on the " + db.config().describe();
    }

    private static String q(String identifier) {
        return Dialect.POSTGRESQL.quote(identifier);
    }
}
