package io.graybridge.mapping.yaml;

/**
 * A reversible value conversion between a v1 column and a v2 column ({@code cents-to-decimal}).
 *
 * <p>Implementations are stateless and thread-safe. {@code null} converts to {@code null} in both
 * directions. A value that cannot convert exactly raises {@link IllegalArgumentException} whose message
 * says why ({@code "12.345 has more than 2 decimal places"}); the translator adds the table, the column
 * and the direction and rethrows it as a {@link io.graybridge.mapping.MappingException}.
 */
public interface Conversion {

    /** The name a mapping file uses in {@code convert:}. */
    String name();

    /** A v1 value to its v2 value. */
    Object forward(Object v1Value);

    /** A v2 value to its v1 value; {@code backward(forward(x))} equals {@code x} for every convertible x. */
    Object backward(Object v2Value);
}
