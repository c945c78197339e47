package io.graybridge.bridge.apply;

import io.graybridge.bridge.capture.CaptureKnowledge;
import io.graybridge.bridge.capture.SourcePositions;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a lane stored in {@code key_write} (its source side's application writes and, under latest-wins, the keys'
 * current versions, as of its stored offset), by key hash, in chunks of at most 512 keys: for the lane's own capture ({@link
 * TargetWriter#storedKnowledge}) and for the reverse lane's barrier ({@link ConvergenceBarrier#awaitKnowledge}).
 */
final class StoredKnowledge {
    private static final int KEYS_PER_QUERY = 512;

    private StoredKnowledge() {}

    /**
     * @param db the side holding the rows (the lane's target)
     * @param keyWrite the qualified {@code key_write} table there
     * @param lane the lane that stored them
     * @return the stored knowledge of {@code hashes}; keys without a row are left out
     */
    static Map<ByteBuffer, CaptureKnowledge.Known> read(SideDatabase db, String keyWrite, String bridge, String lane,
            Collection<ByteBuffer> hashes) {
        Map<ByteBuffer, CaptureKnowledge.Known> out = new HashMap<>();
        List<ByteBuffer> all = new ArrayList<>(hashes);
        for (int i = 0; i < all.size(); i += KEYS_PER_QUERY) {
            List<byte[]> part = padded(all.subList(i, Math.min(all.size(), i + KEYS_PER_QUERY)).stream()
                    .map(StoredKnowledge::bytes).toList());
            db.withHandle(h -> h.createQuery("SELECT key_hash, table_name, row_key, write_position, tombstone, stamp,"
                            + " version_stamp, version_side FROM " + keyWrite
                            + " WHERE bridge = :b AND lane = :l AND key_hash IN (<h>)")
                    .bind("b", bridge)
                    .bind("l", lane)
                    .bindList("h", part)
                    .map((rs, ctx) -> {
                        ByteBuffer hash = ByteBuffer.wrap(rs.getBytes(1));
                        long position = rs.getLong(4);
                        boolean tombstone = rs.getBoolean(5);
                        Timestamp stamp = rs.getTimestamp(6);
                        long versionStamp = rs.getLong(7);
                        boolean noVersion = rs.wasNull();
                        String side = rs.getString(8);
                        out.put(hash, new CaptureKnowledge.Known(hash, rs.getString(2), rs.getString(3),
                                position == SourcePositions.NONE ? null
                                        : new CaptureKnowledge.Write(position, tombstone,
                                                stamp == null ? null : stamp.toInstant()),
                                noVersion || side == null ? null
                                        : new CaptureKnowledge.Version(Instant.ofEpochMilli(versionStamp),
                                                Side.parse(side))));
                        return null;
                    })
                    .list());
        }
        return out;
    }

    /**
     * {@code hashes} (not empty) with its last one repeated up to the next power of two: the statement's text then takes
     * one of ten shapes, so Jdbi parses each once (its parse cache is keyed by the text; parsing a list of a new length
     * was a good part of capture's CPU under two-way latest-wins). A key twice in {@code IN} matches its row once.
     */
    static List<byte[]> padded(List<byte[]> hashes) {
        int size = Integer.highestOneBit(hashes.size());
        if (size == hashes.size()) {
            return hashes;
        }
        List<byte[]> out = new ArrayList<>(size * 2);
        out.addAll(hashes);
        byte[] last = hashes.get(hashes.size() - 1);
        while (out.size() < size * 2) {
            out.add(last);
        }
        return out;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
