package io.graybridge.mapping.spi;

import io.graybridge.mapping.Row;

/**
 * A hand-written translation of one table, for what a mapping file's rules cannot say. A mapping file
 * names it ({@code translator: my-name}) and GrayBridge finds it with {@link java.util.ServiceLoader}:
 * put the class on the classpath and list it in
 * {@code META-INF/services/io.graybridge.mapping.spi.TableTranslator}. It needs a public no-argument
 * constructor.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>thread-safe</b>: one instance serves every lane, the reconciler and {@code mappings check} at
 *       once; keep no per-row state;</li>
 *   <li><b>never mutates its input</b> ({@link Row} is immutable; do not reach into its values, such as a
 *       {@code byte[]}, to change them);</li>
 *   <li>a column <b>absent</b> from the result means "unknown: leave the target's value as it is"; a column
 *       present with {@code null} means "set it to NULL";</li>
 *   <li>an <b>empty</b> result ({@link Row#empty()}) means "this row has no counterpart on the other side":
 *       nothing is written for it. Never return {@code null}: that is reported as a bug of the translator;</li>
 *   <li>a value it cannot translate raises {@link io.graybridge.mapping.MappingException} (or any
 *       {@link IllegalArgumentException}, which GrayBridge wraps with the table and the translator's name):
 *       never a guess;</li>
 *   <li>{@code backward(forward(r))} should equal {@code r} and {@code forward(backward(r))} should equal
 *       {@code r}; {@code graybridge mappings check} proves it on generated and sampled rows.</li>
 * </ul>
 */
public interface TableTranslator {

    /** The name a mapping file uses in {@code translator:}: lower case, digits and {@code -}. */
    String name();

    /** A v1 row (complete, or partial when the source did not carry every column) to its v2 row. */
    Row forward(Row v1Row);

    /** A v2 row to its v1 row. */
    Row backward(Row v2Row);
}
