package io.graybridge.mapping.yaml;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.TableMapping;
import io.graybridge.yaml.ProblemCollector;
import io.graybridge.yaml.YamlDocument;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads declarative mapping files.
 *
 * <pre>{@code
 * version: 1                 # optional; the only version so far
 * tables:
 *   - v1: customers          # v1 table name (required)
 *     v2: clients            # v2 table name (default: same as v1)
 *     columns:               # rules; columns not listed pass through under the same name
 *       - v1: name
 *         v2: full_name      # rename
 *       - v1: balance_cents
 *         v2: balance        # (default: same as v1)
 *         convert: cents-to-decimal
 *       - v2: tier
 *         default: standard  # new v2 column
 *       - v1: legacy_code
 *         drop: true         # v1-only column
 * }</pre>
 *
 * <p>What the rules do, forward (v1 row to v2 row) and backward (v2 row to v1 row):
 * <ul>
 *   <li><b>rename</b> ({@code v1} + {@code v2}): the value moves to the other name, unchanged.</li>
 *   <li><b>convert</b> ({@code v1} + {@code convert}, optionally {@code v2}): the value goes through the
 *       named {@link Conversion} forward and through its inverse backward; {@code null} stays {@code null}; a
 *       value that cannot convert exactly raises a {@link io.graybridge.mapping.MappingException} naming the
 *       table, the column and the value. Names: {@link Conversions#names()}.</li>
 *   <li><b>default</b> ({@code v2} + {@code default}): a column that exists on v2 only. Forward adds it with
 *       the default whenever the translated row does not already have it; since it has no v1 source, that is
 *       every row, updates included (the writer treats it like any other column). Backward drops it. The
 *       value is the YAML scalar as typed: a String (quoted values stay strings), Long, Boolean, BigDecimal
 *       or {@code null}. {@link ColumnPlan#defaults()} lists these columns for a writer that prefers to set
 *       them on insert only.</li>
 *   <li><b>drop</b> ({@code v1} + {@code drop: true}): a column that exists on v1 only. Forward drops it;
 *       backward leaves it absent, so the writer keeps the v1 row's value, or, with {@code default:}, gives it
 *       that value where nothing else did ({@link ColumnPlan#defaults(io.graybridge.mapping.Direction)}).</li>
 *   <li><b>map</b> ({@code v1} + {@code map}, optional {@code v2}, {@code unmapped: error|keep|{v1:, v2:}}):
 *       a one-to-one value map, read backward by its inverse.</li>
 *   <li><b>compute</b> ({@code v2} + {@code compute}, optional {@code v1} with {@code inverse} or
 *       {@code one-way: true}): a {@link SafeExpression}; NULL in any column it reads gives NULL.</li>
 *   <li><b>split</b> ({@code v1} + {@code split} + {@code separator}, optional {@code at: first|last}) and
 *       <b>merge</b> ({@code v2} + {@code merge} + {@code separator}): one text column is several; the
 *       other direction joins or splits.</li>
 *   <li><b>pack-json</b> ({@code v2} + {@code pack-json}) and <b>unpack-json</b> ({@code v1} +
 *       {@code unpack-json}): several columns are one JSON text column.</li>
 *   <li>conversions with settings: {@code timestamp-to-timestamptz} / {@code timestamptz-to-timestamp}
 *       with {@code zone}, {@code boolean-to-char} / {@code char-to-boolean} with {@code flags}.</li>
 * </ul>
 * A table entry may instead name a Java {@code translator:} ({@link io.graybridge.mapping.spi.TableTranslator}),
 * or be a table {@code split:} or {@code merge:} ({@link io.graybridge.mapping.TableGroup}) whose parts each
 * carry only the columns they list plus the shared {@code key}. README.md, "Mapping language", has an
 * example of each.
 * A column absent from the input row stays absent from the output (see {@link io.graybridge.mapping.RowTranslator}).
 *
 * <p>Validation reports every problem of the file at once, with line numbers: unknown keys (with a "did you
 * mean" hint), missing required keys, wrong types, a rule that is not exactly one of the shapes, a
 * column named by two rules, two tables with the same v1 or v2 name, an unknown conversion or zone, a value
 * map that is not one-to-one, an expression the sandbox refuses, an unknown translator (listing the
 * available ones).
 */
public final class MappingFiles {
    /** The origin of a mapping that no file declared. */
    public static final String IDENTITY_ORIGIN = "(no mapping declared: same name and columns)";

    private MappingFiles() {}

    /**
     * Reads and validates a mapping file.
     *
     * @param file the mapping file; problems and origins name it as given
     * @param env the variables for {@code ${VAR}} substitution in values
     * @throws ProblemsException with {@link ErrorCode#MAPPING_INVALID}, listing every problem
     */
    public static MappingSet load(Path file, Map<String, String> env) {
        ProblemCollector problems = new ProblemCollector();
        MappingSet set = read(file, env, problems);
        problems.throwIfAny(ErrorCode.MAPPING_INVALID, "mapping file " + file);
        return set;
    }

    /**
     * Reads a mapping file, recording its problems in {@code problems} instead of throwing, so a caller
     * (the config loader) can report them together with its own. The returned set holds the tables that
     * were valid; it is meaningful only when no problem was recorded.
     */
    public static MappingSet read(Path file, Map<String, String> env, ProblemCollector problems) {
        YamlDocument doc = YamlDocument.read(file, env, problems);
        return new MappingFileReader(doc).read();
    }

    /** The mapping of a table that has the same name and the same columns on both sides. */
    public static TableMapping identity(String table) {
        return mapping(new ColumnPlan(table, table, table, List.of(), true), IDENTITY_ORIGIN);
    }

    static TableMapping mapping(ColumnPlan plan, String origin) {
        return new TableMapping(plan.mapping(), plan.v1Table(), plan.v2Table(),
                new DeclarativeTranslator(plan, Direction.FORWARD), new DeclarativeTranslator(plan, Direction.BACKWARD),
                origin);
    }
}
