package io.graybridge.bridge.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.db.ColumnInfo;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class MappingCheckerTest {
    private static ColumnInfo col(String type) {
        return new ColumnInfo("c", type, true, false);
    }

    @Test
    void shouldFitNumbersToPrecisionScaleAndIntegerRanges() {
        assertThat(MappingChecker.fits(col("numeric(5,2)"), new BigDecimal("999.99"))).isTrue();
        assertThat(MappingChecker.fits(col("numeric(5,2)"), new BigDecimal("1000.00"))).isFalse();
        assertThat(MappingChecker.fits(col("numeric(5,2)"), new BigDecimal("1.005"))).isFalse();
        assertThat(MappingChecker.fits(col("smallint"), 40_000L)).isFalse();
        assertThat(MappingChecker.fits(col("integer"), new BigDecimal("12.00"))).isTrue();
        assertThat(MappingChecker.fits(col("bigint"), "12")).isFalse();
    }

    @Test
    void shouldFitTextToItsLengthAndTimesToTheirKind() {
        assertThat(MappingChecker.fits(col("character(1)"), "Y")).isTrue();
        assertThat(MappingChecker.fits(col("character(1)"), "YES")).isFalse();
        assertThat(MappingChecker.fits(col("character varying(3)"), "漢字🙂")).isTrue();
        assertThat(MappingChecker.fits(col("timestamp with time zone"), LocalDateTime.now())).isFalse();
        assertThat(MappingChecker.fits(col("timestamp without time zone"), LocalDateTime.now())).isTrue();
        assertThat(MappingChecker.fits(col("timestamp with time zone"), OffsetDateTime.now())).isTrue();
        assertThat(MappingChecker.fits(col("examples_v2.customer_status"), "active")).isTrue();
    }
}
