package io.graybridge.bridge.db;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;

/**
 * The database engines GrayBridge talks to, recognised from the JDBC URL.
 *
 * <p>On MariaDB a "schema" is a database: {@code sides.<side>.schema} names the database holding the
 * application's tables, and the bridge's metadata schema is a database of its own on that server.
 */
public enum Dialect {
    POSTGRESQL("postgresql", "PostgreSQL", '"'),
    /** MariaDB 10.11 ({@code jdbc:mariadb:}); stands for the MySQL family. MySQL 8 itself is not supported yet. */
    MARIADB("mariadb", "MariaDB", '`');

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

    /** The engine's name for people: {@code PostgreSQL}, {@code MariaDB}. */
    public String displayName() {
        return displayName;
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
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mysql:")) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "unsupported JDBC URL '" + shown + "': MySQL 8"
                    + " sides are not supported yet; for a MariaDB server write jdbc:mariadb://host:3306/database");
        }
        throw new GrayBridgeException(
                ErrorCode.CONFIG_INVALID,
                "unsupported JDBC URL '" + shown
                        + "': this version supports jdbc:postgresql:// and jdbc:mariadb:// (MySQL 8 comes next)");
    }
}
