package io.graybridge.bridge.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binlog settings the live-schema check names on a MariaDB and a MySQL source. */
class BinlogSettingsTest {

    private static Map<String, String> mysqlReady() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("log_bin", "ON");
        s.put("binlog_format", "ROW");
        s.put("binlog_row_image", "FULL");
        s.put("binlog_row_metadata", "MINIMAL");
        s.put("gtid_mode", "ON");
        s.put("enforce_gtid_consistency", "ON");
        s.put("binlog_row_value_options", "");
        return s;
    }

    @Test
    void shouldAcceptAMySqlServerWithRowBinlogAndGtids() {
        assertThat(LiveSchemaCheck.binlogProblems(Dialect.MYSQL, mysqlReady())).isEmpty();
    }

    @Test
    void shouldNameEachMissingMySqlSettingWithItsFix() {
        Map<String, String> s = mysqlReady();
        s.put("gtid_mode", "OFF");
        s.put("enforce_gtid_consistency", "OFF");
        s.put("binlog_row_image", "MINIMAL");
        List<String[]> problems = LiveSchemaCheck.binlogProblems(Dialect.MYSQL, s);
        assertThat(problems).extracting(p -> p[0]).containsExactly("binlog_row_image is 'MINIMAL'", "gtid_mode is 'OFF'",
                "enforce_gtid_consistency is 'OFF'");
        assertThat(problems.get(1)[1]).contains("needs gtid_mode=ON");
        assertThat(problems.get(1)[2]).contains("gtid-mode=ON").contains("[mysqld]").contains("restart MySQL")
                .contains("OFF_PERMISSIVE");
    }

    @Test
    void shouldRefusePartialJsonRowValuesOnMySql() {
        Map<String, String> s = mysqlReady();
        s.put("binlog_row_value_options", "PARTIAL_JSON");
        List<String[]> problems = LiveSchemaCheck.binlogProblems(Dialect.MYSQL, s);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)[0]).isEqualTo("binlog_row_value_options is 'PARTIAL_JSON'");
        assertThat(problems.get(0)[2]).isEqualTo("SET PERSIST binlog_row_value_options = ''");
    }

    @Test
    void shouldNotAskMariaDbForGtidModeWhichItDoesNotHave() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("log_bin", "OFF");
        s.put("binlog_format", "ROW");
        s.put("binlog_row_image", "FULL");
        List<String[]> problems = LiveSchemaCheck.binlogProblems(Dialect.MARIADB, s);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)[0]).isEqualTo("log_bin is 'OFF'");
        assertThat(problems.get(0)[2]).contains("[mariadbd]").contains("restart MariaDB").doesNotContain("gtid");
    }
}
