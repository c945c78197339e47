package io.graybridge.bridge.capture;

/**
 * A source position in Debezium's own offset encoding: the bytes its offset store would keep for one
 * source partition. The writer stores them verbatim in the target's metadata, inside the transaction
 * that applies the changes up to that position, and {@link TargetOffsetStore} hands them back on start.
 *
 * @param key the encoded partition key
 * @param value the encoded offset ({@code null} clears it)
 */
public record OffsetEntry(byte[] key, byte[] value) {}
