package io.graybridge.bridge.apply;

import java.time.Instant;

/**
 * The source side's last application write of one key, as lane S -> O records it on O ({@code key_write}): the key
 * in the source side's own table and key shape, which is the shape the reverse lane's writer uses there.
 *
 * @param table the source table (unqualified)
 * @param key the key as {@link KeyText#of} renders it
 * @param position the write's commit position on the source ({@link io.graybridge.bridge.capture.SourcePositions})
 * @param tombstone whether the write deleted the row
 * @param stamp the write's commit time
 */
public record KeyWrite(String table, String key, long position, boolean tombstone, Instant stamp) {}
