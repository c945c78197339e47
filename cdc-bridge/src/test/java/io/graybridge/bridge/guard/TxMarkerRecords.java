package io.graybridge.bridge.guard;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** A captured update of a bridge's {@code tx_marker} row, as Debezium's binlog connectors hand it over, for tests. */
final class TxMarkerRecords {
    private TxMarkerRecords() {}

    /**
     * The row of {@code bridge} and {@code writer}; {@code seen} (V8) and {@code stamps} (V10) are columns of the table
     * only when {@code withSeenColumn} and {@code withStampsColumn}, as on metadata migrated that far.
     */
    static SourceRecord row(String bridge, String writer, boolean withSeenColumn, Long seen, boolean withStampsColumn,
            String stamps) {
        SchemaBuilder rowSchema = SchemaBuilder.struct().name("graybridge.tx_marker.Value")
                .field("bridge", Schema.STRING_SCHEMA).field("writer", Schema.STRING_SCHEMA)
                .field("seq", Schema.INT64_SCHEMA);
        if (withSeenColumn) {
            rowSchema.field("seen", Schema.OPTIONAL_INT64_SCHEMA);
        }
        if (withStampsColumn) {
            rowSchema.field("stamps", Schema.OPTIONAL_STRING_SCHEMA);
        }
        Schema row = rowSchema.optional().build();
        Schema source = SchemaBuilder.struct().field("db", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct().name("graybridge.tx_marker.Envelope")
                .field("before", row).field("after", row).field("source", source).field("op", Schema.STRING_SCHEMA)
                .build();
        Struct after = new Struct(row).put("bridge", bridge).put("writer", writer).put("seq", 3L);
        if (withSeenColumn) {
            after.put("seen", seen);
        }
        if (withStampsColumn) {
            after.put("stamps", stamps);
        }
        Struct value = new Struct(envelope).put("after", after)
                .put("source", new Struct(source).put("db", "graybridge").put("table", "tx_marker")).put("op", "u");
        return new SourceRecord(null, null, "t", envelope, value);
    }
}
