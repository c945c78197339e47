package io.graybridge.bridge.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatestWinsTest {
    private static final ConflictResolver LATEST = new BuiltInResolvers.LatestWins();

    /** A conflict seen on the side opposite {@code incoming}: incoming time as capture has it, current as stored. */
    private static Conflict seenOn(Side incoming, Instant incomingCaptured, Instant currentStored) {
        Row key = Row.of(Map.of("id", 1L));
        return new Conflict(Conflict.Kind.UPDATE_UPDATE, "t", key, incoming, key, key, incomingCaptured, key,
                currentStored, List.of("v"), "dual");
    }

    @Test
    void shouldPickTheSameWinnerOnBothSidesWhenBothWritesFallInOneMillisecond() {
        Instant v1Write = Instant.parse("2026-11-27T10:00:00.000500Z");
        Instant v2Write = Instant.parse("2026-11-27T10:00:00.000300Z");
        Instant v1Captured = Instant.parse("2026-11-27T10:00:00.000Z"); // capture knows milliseconds (ts_ms)
        Instant v2Captured = Instant.parse("2026-11-27T10:00:00.000Z");

        Side onV2 = LATEST.winner(seenOn(Side.V1, v1Captured, v2Write)); // v1's change meets v2's row
        Side onV1 = LATEST.winner(seenOn(Side.V2, v2Captured, v1Write)); // v2's change meets v1's row

        assertThat(onV2).isEqualTo(onV1).isEqualTo(Side.V1);
    }

    @Test
    void shouldPickTheLaterWriteOnBothSidesAcrossMilliseconds() {
        Instant v1Write = Instant.parse("2026-11-27T10:00:00.002100Z");
        Instant v2Write = Instant.parse("2026-11-27T10:00:00.005700Z");

        Side onV2 = LATEST.winner(seenOn(Side.V1, Instant.parse("2026-11-27T10:00:00.002Z"), v2Write));
        Side onV1 = LATEST.winner(seenOn(Side.V2, Instant.parse("2026-11-27T10:00:00.005Z"), v1Write));

        assertThat(onV2).isEqualTo(onV1).isEqualTo(Side.V2);
    }
}
