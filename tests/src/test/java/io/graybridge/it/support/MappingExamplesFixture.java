package io.graybridge.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A fresh database of the test PostgreSQL holding two schemas (v1 and v2) created from SQL, and a bridge
 * config pointing at them with a given mapping file: for {@code graybridge mappings check}.
 */
public final class MappingExamplesFixture implements AutoCloseable {
    private final PgServer pg;
    private final String database;
    private final Path dir;

    private MappingExamplesFixture(PgServer pg, String database, Path dir) {
        this.pg = pg;
        this.database = database;
        this.dir = dir;
    }

    /** Creates the database and runs {@code v1Sql} then {@code v2Sql}. */
    public static MappingExamplesFixture create(String prefix, String v1Sql, String v2Sql) {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase(prefix);
        try {
            MappingExamplesFixture f = new MappingExamplesFixture(pg, db, Files.createTempDirectory("graybridge-it-" + prefix));
            f.execute(v1Sql);
            f.execute(v2Sql);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repo's config/mappings/examples-v1.sql and examples-v2.sql. */
    public static MappingExamplesFixture examples(String prefix) {
        try {
            Path mappings = RepoPaths.config().resolve("mappings");
            return create(prefix, Files.readString(mappings.resolve("examples-v1.sql")),
                    Files.readString(mappings.resolve("examples-v2.sql")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The database's name ({@code gbit_...}), also a fitting prefix for replication slot names. */
    public String database() {
        return database;
    }

    public Connection connect() throws SQLException {
        return pg.connect(database);
    }

    /** Writes a bridge config using {@code mapping} and listing {@code tables}; returns its path. */
    public Path writeConfig(String v1Schema, String v2Schema, Path mapping, String tables) {
        String yaml = "bridge:\n"
                + "  name: it-" + database.replace('_', '-') + "\n"
                + "sides:\n"
                + side("v1", v1Schema)
                + side("v2", v2Schema)
                + "mapping: " + mapping + "\n"
                + "tables: [" + tables + "]\n"
                + "lanes:\n"
                + "  v1-to-v2:\n"
                + "    enabled: false\n";
        try {
            Path file = dir.resolve("bridge.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String side(String side, String schema) {
        return "  " + side + ":\n"
                + "    jdbc-url: " + pg.jdbcUrl(database) + "\n"
                + "    user: " + pg.user() + "\n"
                + (pg.password().isEmpty() ? "" : "    password-env: GB_IT_PASSWORD\n")
                + "    schema: " + schema + "\n";
    }

    public Map<String, String> env() {
        return Map.of("GB_IT_PASSWORD", pg.password());
    }

    public void execute(String sql) {
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + database + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pg.dropDatabase(database);
    }
}
