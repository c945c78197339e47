package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates the bridge's metadata schema on one side with Flyway. The bridge's migrations
 * and history table live in that schema only; the application's own migrations are never touched.
 */
public final class MetadataSchema {
    /** Flyway's history table inside the metadata schema. */
    public static final String HISTORY_TABLE = "graybridge_schema_history";

    private MetadataSchema() {}

    /** Migrates {@code schema} on {@code db} to the newest version; returns how many migrations ran. */
    public static int migrate(SideDatabase db, String schema) {
        Flyway flyway = Flyway.configure(MetadataSchema.class.getClassLoader())
                .dataSource(db.dataSource())
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .locations("classpath:db/graybridge/" + db.dialect().flywayFolder())
                .failOnMissingLocations(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new GrayBridgeException(
                    ErrorCode.DATABASE_UNAVAILABLE,
                    "cannot create or migrate the bridge metadata schema '" + schema + "' on the "
                            + db.config().describe() + ": " + e.getMessage()
                            + ". The bridge user needs CREATE on the database (or a DBA creates the schema"
                            + " and grants it to the bridge user).",
                    e);
        }
    }
}
