package io.graybridge.bridge.apply;

import io.graybridge.mapping.Side;
import java.time.Instant;

/**
 * The source side's last application write of one key, as lane S -> O records it on O ({@code key_write}): the key
 * in the source side's own table and key shape, which is the shape the reverse lane's writer uses there; under
 * latest-wins also the key's current version on S (ARCHITECTURE.md, "latest-wins: the build plan").
 *
 * @param hash the key's identity ({@link KeyText#hash} of table and key)
 * @param table the source table (unqualified), or {@code null} for a key known only from a mark, by its hash
 * @param key the key as {@link KeyText#of} renders it, or {@code null} likewise
 * @param position the write's commit position on the source ({@link io.graybridge.bridge.capture.SourcePositions});
 *     {@link io.graybridge.bridge.capture.SourcePositions#NONE} when no application write of the key is known
 * @param tombstone whether the write deleted the row
 * @param stamp the write's commit time (under latest-wins its stamp)
 * @param versionStamp the stamp of the key's current version on the source side, or {@code null} (fixed policies)
 * @param versionSide whose application wrote that version, or {@code null}
 */
public record KeyWrite(byte[] hash, String table, String key, long position, boolean tombstone, Instant stamp,
        Instant versionStamp, Side versionSide) {

    /** An application write with no version (fixed policies). */
    public KeyWrite(String table, String key, long position, boolean tombstone, Instant stamp) {
        this(KeyText.hash(table, key), table, key, position, tombstone, stamp, null, null);
    }
}
