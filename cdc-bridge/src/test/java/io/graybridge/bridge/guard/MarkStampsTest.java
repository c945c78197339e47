package io.graybridge.bridge.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.SourcePositions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The versions a lane's mark carries under latest-wins, on both engines, beside the delivered position. */
class MarkStampsTest {
    private static final Instant T = Instant.parse("2026-11-27T23:00:00.123Z");

    @Test
    void shouldCarryStampsAfterThePositionInThePostgresMarkerAndStillReadThePosition() {
        List<MarkStamps.Stamp> stamps = List.of(stamp(1, T), stamp(2, T.plusMillis(1)));
        String content = TransactionMarker.content("shop", "v1-to-v2", 4242L, stamps);
        assertThat(content).startsWith("shop/v1-to-v2@4242;").hasSize("shop/v1-to-v2@4242;".length() + 2 * 57 + 1);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", bytes)).isEqualTo(4242L);
        assertThat(TransactionMarker.isFrom("shop", bytes)).isTrue();
        assertThat(TransactionMarker.isWatermark("shop", bytes)).isFalse();
        assertThat(TransactionMarker.stamps("shop", "v1-to-v2", bytes)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(stamps);
        assertThat(TransactionMarker.stamps("shop", "v2-to-v1", bytes)).as("another writer's").isEmpty();
        assertThat(TransactionMarker.stamps("shop", "v1-to-v2", "shop/v1-to-v2@4242".getBytes(StandardCharsets.UTF_8)))
                .as("a mark without versions (before V10, or other policies)").isEmpty();
        String noPosition = TransactionMarker.content("shop", "v1-to-v2", SourcePositions.NONE, stamps);
        assertThat(noPosition).startsWith("shop/v1-to-v2;");
        assertThat(TransactionMarker.deliveredPosition("shop", "v1-to-v2", noPosition.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SourcePositions.NONE);
        assertThat(TransactionMarker.stamps("shop", "v1-to-v2", noPosition.getBytes(StandardCharsets.UTF_8)))
                .hasSize(2);
        assertThat(TransactionMarker.content("shop", "v1-to-v2", 7L, List.of())).isEqualTo("shop/v1-to-v2@7");
    }

    @Test
    void shouldBoundEachMarkAndSplitAHugeBatchIntoMoreMarks() {
        List<MarkStamps.Stamp> many = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            many.add(stamp(i, T.plusMillis(i)));
        }
        List<List<MarkStamps.Stamp>> marks = MarkStamps.perMark(many);
        assertThat(marks).extracting(List::size).containsExactly(500, 500, 234);
        assertThat(MarkStamps.encode(marks.get(0)).length()).as("within a MariaDB TEXT").isLessThan(65_535);
        List<MarkStamps.Stamp> back = new ArrayList<>();
        marks.forEach(m -> back.addAll(MarkStamps.decode(MarkStamps.encode(m))));
        assertThat(back).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(many);
        assertThat(MarkStamps.perMark(List.of())).containsExactly(List.of());
        assertThat(MarkStamps.decode(null)).isEmpty();
        assertThat(MarkStamps.decode("garbage,=1,AAAA=x")).isEmpty();
    }

    @Test
    void shouldReadTheStampsFromTheMariaDbMarkerRow() {
        MarkerTable guard = new MarkerTable("shop", "graybridge");
        List<MarkStamps.Stamp> stamps = List.of(stamp(9, T));
        assertThat(guard.stamps(markerRow("shop", "v1-to-v2", MarkStamps.encode(stamps), true), "v1-to-v2"))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(stamps);
        assertThat(guard.stamps(markerRow("shop", "v1-to-v2", null, true), "v1-to-v2")).isEmpty();
        assertThat(guard.stamps(markerRow("shop", "v1-to-v2", null, false), "v1-to-v2")).as("before V10").isEmpty();
        assertThat(guard.stamps(markerRow("shop", "repair", MarkStamps.encode(stamps), true), "v1-to-v2")).isEmpty();
        assertThat(guard.stamps(markerRow("other", "v1-to-v2", MarkStamps.encode(stamps), true), "v1-to-v2")).isEmpty();
    }

    private static MarkStamps.Stamp stamp(int n, Instant at) {
        byte[] hash = new byte[32];
        hash[0] = (byte) n;
        hash[31] = (byte) (n >> 8);
        return new MarkStamps.Stamp(hash, at);
    }

    private static SourceRecord markerRow(String bridge, String writer, String stamps, boolean withStampsColumn) {
        return TxMarkerRecords.row(bridge, writer, true, 5L, withStampsColumn, stamps);
    }
}
