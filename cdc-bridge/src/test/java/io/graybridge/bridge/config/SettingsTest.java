package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void shouldDescribeEverySetting() {
        for (Setting<?> s : Settings.all()) {
            assertThat(s.description()).as("description of %s", s.key()).isNotBlank().endsWith(".");
            assertThat(s.type()).as("type of %s", s.key()).isNotBlank();
            if (!s.isRequired()) {
                assertThat(s.defaultDoc()).as("default of %s (use optional(\"-\") for none)", s.key()).isNotBlank();
            }
        }
    }

    @Test
    void shouldDeclareEachKeyOnce() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : Settings.all()) {
            assertThat(keys.add(s.key())).as("%s declared twice", s.key()).isTrue();
        }
    }

    @Test
    void shouldListEveryKeyWithItsTypeAndDefaultInTheReferenceTable() {
        String table = Settings.markdownTable();

        assertThat(table).startsWith("| key | type | default | description |\n| --- | --- | --- | --- |\n");
        assertThat(table.lines().count()).isEqualTo(Settings.all().size() + 2);
        assertThat(table).contains(
                "| `bridge.name` | string `[a-z0-9_-]{1,40}` | **required** |",
                "| `bridge.metadata-schema` | string `[a-z_][a-z0-9_]{0,62}` | `graybridge` |",
                "| `sides.<side>.pool-size` | int, 1..64 | `4` |",
                "| `sides.<side>.password` | string (secret) | - |",
                "| `tables` | list of strings | **required** |",
                "| `lanes.<lane>.enabled` | boolean | `true` for v1-to-v2, `false` for v2-to-v1 |",
                "| `lanes.<lane>.publication-name` | string `[a-z0-9_]{1,63}` | the slot name |",
                "| `lanes.<lane>.snapshot` | one of: initial, never | `initial` for v1-to-v2, `never` for v2-to-v1 |",
                "| `conflicts.policy` | string | `primary-wins` |",
                "| `lanes.<lane>.batch-size` | int, 1..100000 | `1000` |",
                "| `lanes.<lane>.poll-interval-ms` | int, 1..60000 | `200` |");
    }
}
