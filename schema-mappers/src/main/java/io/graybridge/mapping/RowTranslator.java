package io.graybridge.mapping;

/**
 * Translates one row of a table from one schema version to the other, in one direction.
 *
 * <p>Contract, for every implementation (declarative or SPI):
 * <ul>
 *   <li>thread-safe: one instance serves every lane and the reconciler at once;</li>
 *   <li>never mutates its input ({@link Row} is immutable anyway) and keeps no per-row state;</li>
 *   <li>a column absent from the input is absent from the output unless a rule produces it
 *       (a default or a computed value): absent means "unknown, leave the target as it is";</li>
 *   <li>a value that cannot be translated raises {@link MappingException} naming the table, column
 *       and value, so the row can go to the dead-letter path; it never returns a guess.</li>
 * </ul>
 */
@FunctionalInterface
public interface RowTranslator {
    Row translate(Row source);

    static RowTranslator identity() {
        return row -> row;
    }
}
