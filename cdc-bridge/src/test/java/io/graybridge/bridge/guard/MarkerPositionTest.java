package io.graybridge.bridge.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.SourcePositions;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The delivered position a lane's loop-guard mark carries, on both engines, and old marks without one. */
class MarkerPositionTest {

    @Test
    void shouldCarryTheDeliveredPositionInThePostgresMarkerContent() {
        String content = TransactionMarker.content("shop", "v1-to-v2", 23_456_789L);
        assertThat(content).isEqualTo("shop/v1-to-v2@23456789");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", bytes)).isEqualTo(23_456_789L);
        assertThat(TransactionMarker.isFrom("shop", bytes)).isTrue();
        assertThat(TransactionMarker.isWatermark("shop", bytes)).isFalse();
    }

    @Test
    void shouldReadOldMarkersAndOtherWritersAsCarryingNoPosition() {
        byte[] old = "shop/v1-to-v2".getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.isFrom("shop", old)).isTrue();
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", old)).isEqualTo(SourcePositions.NONE);
        byte[] other = "shop/v2-to-v1@77".getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", other)).isEqualTo(SourcePositions.NONE);
        byte[] otherBridge = "shop2/v1-to-v2@77".getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", otherBridge)).isEqualTo(SourcePositions.NONE);
        byte[] garbage = "shop/v1-to-v2@x".getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", garbage)).isEqualTo(SourcePositions.NONE);
        assertThat(TransactionMarker.content("shop", "v1-to-v2", SourcePositions.NONE)).isEqualTo("shop/v1-to-v2");
        assertThat(TransactionMarker.isWatermark("shop", "shop/watermark".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void shouldReadTheDeliveredPositionFromTheMariaDbMarkerRow() {
        MarkerTable guard = new MarkerTable("shop", "graybridge");
        assertThat(guard.deliveredPosition(markerRow("shop", "v1-to-v2", 42L, true), "v1-to-v2")).isEqualTo(42L);
        assertThat(guard.isOwnMarker(markerRow("shop", "v1-to-v2", 42L, true))).isTrue();
        assertThat(guard.deliveredPosition(markerRow("shop", "v1-to-v2", null, true), "v1-to-v2"))
                .isEqualTo(SourcePositions.NONE);
        assertThat(guard.deliveredPosition(markerRow("shop", "v1-to-v2", null, false), "v1-to-v2"))
                .as("a marker table from before V8").isEqualTo(SourcePositions.NONE);
        assertThat(guard.deliveredPosition(markerRow("shop", "repair", 42L, true), "v1-to-v2"))
                .isEqualTo(SourcePositions.NONE);
        assertThat(guard.deliveredPosition(markerRow("other", "v1-to-v2", 42L, true), "v1-to-v2"))
                .isEqualTo(SourcePositions.NONE);
    }

    private static SourceRecord markerRow(String bridge, String writer, Long seen, boolean withSeenColumn) {
        return TxMarkerRecords.row(bridge, writer, withSeenColumn, seen, false, null);
    }
}
