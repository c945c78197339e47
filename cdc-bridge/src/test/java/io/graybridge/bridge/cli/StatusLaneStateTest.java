package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.metadata.LaneStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lane state {@code status} shows, from a PostgreSQL slot or, for a MariaDB source, without one. */
class StatusLaneStateTest {

    private static LaneStatus lane(boolean enabled, boolean streaming, boolean slotActive, boolean visible) {
        return new LaneStatus("v1-to-v2", enabled, streaming, slotActive, "pos", Instant.EPOCH, Instant.EPOCH,
                visible ? 0 : -1, 5, 4, 0, 0, 0, Map.of(), visible);
    }

    @Test
    void shouldTellTheStateFromThePostgreSqlSlot() {
        assertThat(StatusCommand.laneState(lane(true, true, true, true), Phase.DUAL)).isEqualTo("streaming");
        assertThat(StatusCommand.laneState(lane(true, false, true, true), Phase.BACKFILL)).isEqualTo("snapshot");
        assertThat(StatusCommand.laneState(lane(true, false, false, true), Phase.DUAL)).isEqualTo("not running");
        assertThat(StatusCommand.laneState(lane(true, false, false, true), Phase.FINALIZED)).isEqualTo("stopped");
        assertThat(StatusCommand.laneState(lane(false, false, false, true), Phase.DUAL)).isEqualTo("disabled");
    }

    @Test
    void shouldNotGuessTheStateOfABinlogReaderItCannotSee() {
        assertThat(StatusCommand.laneState(lane(true, false, false, false), Phase.DUAL)).isEqualTo("unknown");
        assertThat(StatusCommand.laneState(lane(true, false, false, false), Phase.BACKFILL)).isEqualTo("unknown");
        assertThat(StatusCommand.laneState(lane(true, false, false, false), Phase.FINALIZED)).isEqualTo("stopped");
        assertThat(StatusCommand.laneState(lane(false, false, false, false), Phase.DUAL)).isEqualTo("disabled");
        assertThat(StatusCommand.BINLOG_NOTE).contains("not visible from outside the bridge process");
    }
}
