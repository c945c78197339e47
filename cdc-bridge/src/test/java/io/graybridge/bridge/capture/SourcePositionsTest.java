package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Source positions compare in commit order, across binlog files too. */
class SourcePositionsTest {

    @Test
    void shouldOrderBinlogPositionsByFileThenOffset() {
        long a = SourcePositions.binlog("mariadb-bin.000009", 4_000_000_000L);
        long b = SourcePositions.binlog("mariadb-bin.000010", 4);
        long c = SourcePositions.binlog("mariadb-bin.000010", 1_234);
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(SourcePositions.NONE).isLessThan(a);
        assertThat(SourcePositions.describe(c, true)).isEqualTo("000010:1234");
    }

    @Test
    void shouldDescribeLsnsLikePostgres() {
        assertThat(SourcePositions.describe(0x1_6B37_48L, false)).isEqualTo("0/16B3748");
        assertThat(SourcePositions.describe((3L << 32) | 0x10L, false)).isEqualTo("3/10");
        assertThat(SourcePositions.describe(SourcePositions.NONE, false)).isEqualTo("none");
        assertThat(SourcePositions.UNKNOWN).isLessThan(SourcePositions.NONE);
    }

    @Test
    void shouldOrderMySqlBinlogPositionsWhateverTheFileBaseName() {
        // MySQL 8 names its binlog binlog.000001 by default, mysql-bin.000001 with log-bin=mysql-bin
        long a = SourcePositions.binlog("binlog.000099", 157);
        long b = SourcePositions.binlog("binlog.000100", 4);
        long c = SourcePositions.binlog("mysql-bin.000100", 4);
        assertThat(a).isLessThan(b);
        assertThat(b).isEqualTo(c);
        assertThat(SourcePositions.describe(a, true)).isEqualTo("000099:157");
    }
}
