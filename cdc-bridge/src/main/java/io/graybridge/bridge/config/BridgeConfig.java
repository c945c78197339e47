package io.graybridge.bridge.config;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated, frozen bridge configuration. Built only by {@link ConfigLoader}; nothing starts
 * on a configuration that did not validate.
 *
 * @param file the file it was read from
 * @param name the bridge's name: identifies it in metadata, slots, logs and audit events
 * @param metadataSchema the schema on each side where the bridge keeps its own tables (Flyway-managed)
 * @param v1 the v1 side
 * @param v2 the v2 side
 * @param tables the mappings of the tables in scope, in the order the config lists them
 * @param lanes the lanes, keyed by direction
 * @param conflictPolicy the name of the conflict policy ({@code conflicts.policy})
 * @param nullEqualsEmpty whether the reconciler treats NULL and '' as the same value
 * @param maskedColumns {@code table.column} entries whose values reports mask
 * @param catchUpTimeout how long drift and gate wait for the lanes before re-checking differing keys
 * @param verify continuous verification
 * @param gate the gate's thresholds
 * @param audit the audit trail (off unless configured)
 * @param http the HTTP server of {@code run}
 */
public record BridgeConfig(
        Path file,
        String name,
        String metadataSchema,
        SideConfig v1,
        SideConfig v2,
        List<TableMapping> tables,
        Map<Direction, LaneConfig> lanes,
        String conflictPolicy,
        boolean nullEqualsEmpty,
        Set<String> maskedColumns,
        java.time.Duration catchUpTimeout,
        Verify verify,
        Gate gate,
        AuditConfig audit,
        Http http) {

    public BridgeConfig {
        tables = List.copyOf(tables);
        lanes = Map.copyOf(lanes);
        maskedColumns = Set.copyOf(maskedColumns);
    }

    /**
     * Continuous verification ({@code verify.*}).
     *
     * @param enabled whether {@code run} verifies applied keys
     * @param delayMillis between a lane applying a key and the verifier reading it
     * @param queueCapacity most distinct keys waiting
     */
    public record Verify(boolean enabled, int delayMillis, int queueCapacity) {}

    /**
     * The gate's thresholds ({@code gate.*}).
     *
     * @param maxDriftAgeSeconds oldest stored drift result accepted
     * @param maxLagSeconds most lag of an enabled lane
     * @param maxOpenConflicts most conflicts since the drift result began
     * @param maxDeadLetters most dead letters
     * @param maxErrors most errors (verification findings since the drift result began, stopped lanes)
     */
    public record Gate(int maxDriftAgeSeconds, int maxLagSeconds, int maxOpenConflicts, int maxDeadLetters, int maxErrors) {}

    /**
     * The HTTP server {@code run} starts ({@code http.*}).
     *
     * @param port the TCP port, {@code null} when no server starts
     * @param bindAddress the address it listens on
     * @param token the bearer token {@code /metrics} and {@code /gate/*} require; empty: none
     * @param readyMaxLagSeconds most lag of an enabled lane for {@code /health/ready}
     */
    public record Http(Integer port, String bindAddress, Secret token, int readyMaxLagSeconds) {
        /** No HTTP server. */
        public static final Http OFF = new Http(null, "127.0.0.1", Secret.none(), 30);

        public boolean enabled() {
            return port != null;
        }
    }

    public SideConfig side(Side side) {
        return side == Side.V1 ? v1 : v2;
    }

    public LaneConfig lane(Direction direction) {
        return lanes.get(direction);
    }

    public MappingSet mappings() {
        return new MappingSet(tables);
    }
}
