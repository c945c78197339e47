package io.graybridge.bridge.conflict;

import io.graybridge.mapping.Side;

/** The built-in conflict policies. */
public final class BuiltInResolvers {
    private BuiltInResolvers() {}

    /** {@code v1-wins}: the old service's write survives. */
    public static final class V1Wins implements ConflictResolver {
        @Override
        public String name() {
            return "v1-wins";
        }

        @Override
        public Side winner(Conflict conflict) {
            return Side.V1;
        }

        @Override
        public java.util.Optional<Side> fixedWinner(String phase) {
            return java.util.Optional.of(Side.V1);
        }
    }

    /** {@code v2-wins}: the new service's write survives. */
    public static final class V2Wins implements ConflictResolver {
        @Override
        public String name() {
            return "v2-wins";
        }

        @Override
        public Side winner(Conflict conflict) {
            return Side.V2;
        }

        @Override
        public java.util.Optional<Side> fixedWinner(String phase) {
            return java.util.Optional.of(Side.V2);
        }
    }

    /**
     * {@code primary-wins}: the primary side's write survives: v1 while the phase is {@code backfill},
     * {@code dual} or {@code rolled-back}, v2 once {@code promoted}.
     */
    public static final class PrimaryWins implements ConflictResolver {
        @Override
        public String name() {
            return "primary-wins";
        }

        @Override
        public Side winner(Conflict conflict) {
            return "promoted".equals(conflict.phase()) ? Side.V2 : Side.V1;
        }

        @Override
        public java.util.Optional<Side> fixedWinner(String phase) {
            return java.util.Optional.of("promoted".equals(phase) ? Side.V2 : Side.V1);
        }
    }

    /**
     * {@code latest-wins}: the later write survives; a tie, or an unknown time, goes to v1. With both lanes on, writes
     * are ordered by their stamps (commit times raised past the version they overwrote, computed by capture); in
     * one-way sync by source commit time (PostgreSQL {@code track_commit_timestamp}), exact when the competing changes
     * rewrite the same columns (ARCHITECTURE.md, "Conflicts").
     */
    public static final class LatestWins implements ConflictResolver {
        @Override
        public String name() {
            return "latest-wins";
        }

        @Override
        public Side winner(Conflict conflict) {
            return later(conflict.incomingSide(), conflict.incomingCommit(), conflict.currentCommit());
        }

        /**
         * The side of the later of two competing writes: {@code incoming}'s, at {@code incomingTime}, or the other
         * side's current version, at {@code currentTime}; a tie (the same millisecond) or an unknown time goes to v1.
         * Two-way latest-wins passes the writes' stamps (ARCHITECTURE.md, "latest-wins stamps"), the before-image rules
         * commit times.
         */
        public static Side later(Side incoming, java.time.Instant incomingTime, java.time.Instant currentTime) {
            if (incomingTime == null || currentTime == null) {
                return Side.V1;
            }
            // Both times at the precision capture has for the incoming one (Debezium's ts_ms), never the current
            // row's microseconds against it: with mixed precision the two sides judged the same pair of writes
            // differently (each kept its own write when both fell in one millisecond: ConvergenceIT caught it).
            // Writes in the same millisecond tie and go to v1 on both sides.
            int order = incomingTime.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                    .compareTo(currentTime.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            if (order == 0) {
                return Side.V1;
            }
            return order > 0 ? incoming : incoming.other();
        }

        @Override
        public boolean needsCommitTimes() {
            return true;
        }
    }
}
