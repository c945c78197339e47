package io.graybridge.bridge.capture;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/** Records, batches and a recording committer for the tests of the hand-over to the apply thread. */
final class HandOvers {
    private HandOvers() {}

    /** A record named {@code n} by its source offset. */
    static RecordChangeEvent<SourceRecord> record(int n) {
        SourceRecord r = new SourceRecord(Map.of("p", 1), Map.of("n", n), "t", null, null);
        return () -> r;
    }

    /** A batch of {@code rows} row changes ending at a commit, named {@code n} by its offset key. */
    static CapturedBatch rows(int n, int rows) {
        List<SourceChange> changes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            changes.add(new SourceChange(Side.V1, "t", SourceChange.Op.INSERT, null, Row.of(Map.of("id", i)), "0/" + i,
                    "tx", Instant.EPOCH));
        }
        return new CapturedBatch(changes, List.of(new OffsetEntry(new byte[] {(byte) n}, new byte[] {(byte) n})), 0);
    }

    /**
     * A committer that adds "ack N" to {@code events} for each record acknowledged (N its {@link #record} name) and, if
     * {@code finishes}, "finish" for each finished batch.
     */
    static DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer(List<String> events,
            boolean finishes) {
        return new DebeziumEngine.RecordCommitter<>() {
            @Override
            public void markProcessed(RecordChangeEvent<SourceRecord> record) {
                events.add("ack " + record.record().sourceOffset().get("n"));
            }

            @Override
            public void markBatchFinished() {
                if (finishes) {
                    events.add("finish");
                }
            }

            @Override
            public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DebeziumEngine.Offsets buildOffsets() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
