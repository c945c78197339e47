package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.metadata.BinlogBacklog;
import io.graybridge.bridge.metadata.LaneStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lane state {@code status} shows, from a PostgreSQL slot or, for a MariaDB source, without one. */
class StatusLaneStateTest {

    private static LaneStatus lane(boolean enabled, boolean streaming, boolean slotActive, boolean visible) {
        return mariaDb(enabled, visible ? null : new BinlogBacklog(-1, -1, false, "no binlog position applied yet"), visible,
                streaming, slotActive);
    }

    private static LaneStatus mariaDb(boolean enabled, BinlogBacklog binlog, boolean visible, boolean streaming,
            boolean slotActive) {
        return new LaneStatus("v1-to-v2", enabled, streaming, slotActive, "pos", Instant.EPOCH, Instant.EPOCH,
                visible ? 0 : -1, 5, 4, 0, 0, 0, Map.of(), visible, binlog, null, 0);
    }

    private static LaneStatus mariaDb(BinlogBacklog binlog) {
        return mariaDb(true, binlog, false, false, false);
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
        assertThat(StatusCommand.laneState(mariaDb(null), Phase.DUAL)).isEqualTo("unknown");
        assertThat(StatusCommand.BINLOG_NOTE).contains("not visible from outside the bridge process");
    }

    @Test
    void shouldTellACaughtUpMariaDbLaneFromOneWithTransactionsWaitingInTheBinlog() {
        BinlogBacklog caughtUp = new BinlogBacklog(31, 0, true, null);
        BinlogBacklog behind = new BinlogBacklog(4000, 2, true, null);
        BinlogBacklog unread = new BinlogBacklog(900_000, 0, false, null); // the scan stopped at its cap
        assertThat(StatusCommand.laneState(mariaDb(caughtUp), Phase.DUAL)).isEqualTo("caught up");
        assertThat(StatusCommand.laneState(mariaDb(behind), Phase.DUAL)).isEqualTo("behind");
        assertThat(StatusCommand.laneState(mariaDb(unread), Phase.DUAL)).as("not known to be caught up").isEqualTo("behind");
        assertThat(StatusCommand.laneState(mariaDb(caughtUp), Phase.FINALIZED)).isEqualTo("stopped");
        assertThat(StatusCommand.laneState(mariaDb(false, caughtUp, false, false, false), Phase.DUAL)).isEqualTo("disabled");
        Instant now = Instant.EPOCH.plusSeconds(42);
        assertThat(mariaDb(caughtUp).lag(now)).isZero();
        assertThat(mariaDb(behind).lag(now)).as("the age of the newest applied change").hasSeconds(42);
    }

    @Test
    void shouldShowAStoredWaitAtTheBarrierAndCallItStaleWhenNotRefreshed() {
        Instant now = Instant.parse("2026-11-27T18:00:00Z");
        LaneStatus.Wait fresh = new LaneStatus.Wait("v1-to-v2", "0/3A1B2C0", "0/3A1B000", now.minusSeconds(12),
                now.minusSeconds(2));
        Map<String, Object> doc = StatusCommand.waiting(fresh, now);
        assertThat(doc.get("for_lane")).isEqualTo("v1-to-v2");
        assertThat(doc.get("seconds")).isEqualTo(12.0);
        assertThat(doc.get("stale")).isEqualTo(false);
        assertThat((String) doc.get("text")).startsWith("waiting for lane v1-to-v2 to pass 0/3A1B2C0 since 12 s;"
                + " it stored 0/3A1B000 (lane v1-to-v2 must run");

        LaneStatus.Wait old = new LaneStatus.Wait("v1-to-v2", "0/3A1B2C0", "0/3A1B000", now.minusSeconds(400),
                now.minusSeconds(95));
        Map<String, Object> stale = StatusCommand.waiting(old, now);
        assertThat(stale.get("stale")).isEqualTo(true);
        assertThat((String) stale.get("text")).contains("not refreshed for 1 min 35 s: the bridge process that waited"
                + " may be gone");
        assertThat(StatusCommand.waiting(null, now)).isNull();

        // two-way latest-wins waits for what the other lane's capture read, and says so
        LaneStatus.Wait latest = new LaneStatus.Wait("v1-to-v2", "0/3A1B2C0",
                io.graybridge.bridge.apply.ConvergenceBarrier.CAPTURED_PREFIX + "0/3A1B000", now.minusSeconds(3),
                now.minusSeconds(1));
        Map<String, Object> read = StatusCommand.waiting(latest, now);
        assertThat(read.get("it_stored")).isNull();
        assertThat(read.get("its_capture_read")).isEqualTo("0/3A1B000");
        assertThat((String) read.get("text")).startsWith("waiting for lane v1-to-v2 to pass 0/3A1B2C0 since 3 s;"
                + " its capture read 0/3A1B000 (lane v1-to-v2 must run");
        assertThat(doc.get("its_capture_read")).isNull();
    }
}
