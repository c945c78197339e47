package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key captured on a side and the same key translated into that side's shape render as one text. */
class KeyTextTest {

    @Test
    void shouldRenderAKeyAlikeWhateverNumberTypeItArrivedAs() {
        assertThat(KeyText.of(List.of("id"), row("id", 7))).isEqualTo(KeyText.of(List.of("id"), row("id", 7L)))
                .isEqualTo(KeyText.of(List.of("id"), row("id", new BigDecimal("7.00"))));
        assertThat(KeyText.hash("t", KeyText.of(List.of("id"), row("id", 7))))
                .isEqualTo(KeyText.hash("t", KeyText.of(List.of("id"), row("id", 7L))));
    }

    @Test
    void shouldKeepKeyColumnsInTheTablesKeyOrderAndTellTablesApart() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", "x");
        m.put("a", 1L);
        Row r = Row.of(m);
        assertThat(KeyText.of(List.of("a", "b"), r)).isEqualTo("1\u001fx");
        assertThat(KeyText.of(List.of("a", "b"), r)).isNotEqualTo(KeyText.of(List.of("b", "a"), r));
        assertThat(KeyText.hash("t1", "1")).isNotEqualTo(KeyText.hash("t2", "1"));
    }

    private static Row row(String column, Object value) {
        return Row.of(Map.of(column, value));
    }
}
