package io.graybridge.bridge.config;

import io.graybridge.mapping.Side;

/**
 * How to reach one side.
 *
 * @param side v1 or v2
 * @param jdbcUrl JDBC URL of the database ({@code jdbc:postgresql://...})
 * @param user database user
 * @param password the user's password (from an environment variable or a file, never inline in logs)
 * @param schema the schema holding this side's application tables
 * @param poolSize maximum connections the writer's pool opens on this side
 */
public record SideConfig(Side side, String jdbcUrl, String user, Secret password, String schema, int poolSize) {

    /** Host, port and database of the JDBC URL, with no credentials: safe for logs. */
    public String describe() {
        return side.id() + " (" + jdbcUrl.replaceAll("[?;].*$", "") + ", schema " + schema + ")";
    }
}
