package io.graybridge.bridge.db;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;

/**
 * The database engines GrayBridge talks to, recognised from the JDBC URL.
 *
 * <p>On MariaDB and MySQL a "schema" is a database: {@code sides.<side>.schema} names the database holding the
 * application's tables, and the bridge's metadata schema is a database of its own on that server. The two share
 * most behaviour ({@link #mysqlFamily()}: binlog capture, the marker-row loop guard, {@code ON DUPLICATE KEY}
 * upserts, backquoted names); where they differ the code asks for the engine itself (the Debezium connector, the
 * JDBC driver and its options, GTID format, the binlog settings and grants, the status statement of the binlog).
 */
public enum Dialect {
    POSTGRESQL("postgresql", "PostgreSQL", '"'),
    /** MariaDB 10.11 ({@code jdbc:mariadb:}), through MariaDB Connector/J and Debezium's MariaDB connector. */
    MARIADB("mariadb", "MariaDB", '`'),
    /** MySQL 8 ({@code jdbc:mysql:}), through MySQL Connector/J and Debezium's MySQL connector. */
    MYSQL("mysql", "MySQL", '`');

    private final String flywayFolder;
    private final String displayName;
    private final char quote;

    Dialect(String flywayFolder, String displayName, char quote) {
        this.flywayFolder = flywayFolder;
        this.displayName = displayName;
        this.quote = quote;
    }

    /** The folder under {@code db/graybridge/} holding this engine's metadata migrations. */
    public String flywayFolder() {
        return flywayFolder;
    }

    /** The engine's name for people: {@code PostgreSQL}, {@code MariaDB}, {@code MySQL}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Whether this is MariaDB or MySQL: a schema is a database, capture reads the binlog (no slot), the loop guard is
     * the {@code tx_marker} row, upserts are {@code ON DUPLICATE KEY UPDATE}, no commit time per row version.
     */
    public boolean mysqlFamily() {
        return this == MARIADB || this == MYSQL;
    }

    public String quote(String identifier) {
        String q = String.valueOf(quote);
        return q + identifier.replace(q, q + q) + q;
    }

    public String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    public static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MARIADB;
        }
        String shown = jdbcUrl == null ? "" : jdbcUrl.replaceAll("[?;].*$", "");
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mysql://") && !severalHosts(jdbcUrl)) {
            return MYSQL;
        }
        if (jdbcUrl != null && (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mysql+srv:"))) {
            // binlog capture reads one server: a load-balanced, replication or DNS SRV URL names several
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "unsupported JDBC URL '" + shown + "': a MySQL side"
                    + " is one server, named as jdbc:mysql://host:3306/database (no loadbalance:, replication:,"
                    + " mysql+srv: or several hosts)");
        }
        throw new GrayBridgeException(
                ErrorCode.CONFIG_INVALID,
                "unsupported JDBC URL '" + shown
                        + "': this version supports jdbc:postgresql://, jdbc:mariadb:// and jdbc:mysql://");
    }

    /** Whether a {@code jdbc:mysql://} URL names more than one host ({@code h1,h2} or {@code (host=..)} forms). */
    private static boolean severalHosts(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:mysql://".length());
        int end = rest.indexOf('/');
        String hosts = end < 0 ? rest.replaceAll("[?;].*$", "") : rest.substring(0, end);
        return hosts.contains(",") || hosts.contains("(");
    }
}
