package io.graybridge.bridge.db;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;

/** The database engines GrayBridge talks to, recognised from the JDBC URL. */
public enum Dialect {
    POSTGRESQL("postgresql");

    private final String flywayFolder;

    Dialect(String flywayFolder) {
        this.flywayFolder = flywayFolder;
    }

    /** The folder under {@code db/graybridge/} holding this engine's metadata migrations. */
    public String flywayFolder() {
        return flywayFolder;
    }

    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    public static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new GrayBridgeException(
                ErrorCode.CONFIG_INVALID,
                "unsupported JDBC URL '" + (jdbcUrl == null ? "" : jdbcUrl.replaceAll("[?;].*$", ""))
                        + "': this version supports jdbc:postgresql:// (MySQL and MariaDB come next)");
    }
}
