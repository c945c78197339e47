package io.graybridge.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.reconcile.Equivalence;
import org.junit.jupiter.api.Test;

/** The SQL of PostgreSQL's row hashes (their answers against real data: ReconcilerIT). */
class PgPushdownTest {
    private static final Column CENTS = new Column("cents", "bigint", "int8", false);

    private static Pushdown.Compared cents(String v2Type) {
        return new Pushdown.Compared(CENTS, true, null, new Column("balance", v2Type, "numeric", false), Column.Kind.DECIMAL);
    }

    @Test
    void shouldCompareCentsAsIntegersOnlyWhereEveryValueTimes100IsABigint() {
        assertThat(PgPushdown.centsAsInteger(cents("numeric(12,2)"))).isTrue();
        assertThat(PgPushdown.centsAsInteger(cents("numeric(18,2)"))).as("up to 10^16 - 0.01").isTrue();
        assertThat(PgPushdown.centsAsInteger(cents("numeric(10,0)"))).isTrue();
        assertThat(PgPushdown.centsAsInteger(cents("numeric(19,2)"))).as("10^17 * 100 is no bigint").isFalse();
        assertThat(PgPushdown.centsAsInteger(cents("numeric(12,3)"))).as("a third decimal place").isFalse();
        assertThat(PgPushdown.centsAsInteger(cents("numeric"))).as("any scale").isFalse();
        assertThat(PgPushdown.centsAsInteger(new Pushdown.Compared(CENTS, false, null,
                new Column("balance", "numeric(12,2)", "numeric", false), Column.Kind.DECIMAL))).as("not cents").isFalse();
    }

    @Test
    void shouldChainValuesThroughTheSeedAndFlagWhatTheHashFunctionsLeaveOut() {
        assertThat(PgPushdown.valueHash("\"n\"", "\"n\"", false, null, Column.Kind.INTEGER, Equivalence.STRICT, "h"))
                .as("not null: no NULL test; the integer in its own seed")
                .isEqualTo("hashint8extended((\"n\")::int8, (h) # (\"n\")::int8)");
        assertThat(PgPushdown.valueHash("(\"c\"::numeric * 0.01)", "\"c\"", true, null, Column.Kind.DECIMAL,
                Equivalence.STRICT, "h"))
                .as("the sign and NULL tests read the v1 column, not the product")
                .isEqualTo("hash_numeric_extended(coalesce(((\"c\"::numeric * 0.01))::numeric, 0), ((h) # CASE WHEN"
                        + " \"c\" IS NULL THEN 4::int8 ELSE 0::int8 END) # CASE WHEN \"c\" < 0 THEN 2::int8 ELSE 0::int8 END)");
        assertThat(PgPushdown.valueHash("\"t\"", "\"t\"", false, null, Column.Kind.TEXT, new Equivalence(true), "h"))
                .as("NULL equals '': tested after nullif, even on a NOT NULL column").contains("CASE WHEN nullif(");
    }
}
