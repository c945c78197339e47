package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pack-json writes, value for value, the JSON text Jackson's tree model writes (what it wrote before). */
class PackJsonTextTest {
    private static final List<String> PARTS = List.of("s", "b", "d", "i", "l", "n", "x", "f", "date", "q");

    @Test
    void shouldWriteTheSameTextAsJacksonsTreeModel() throws Exception {
        Object[] values = {"a \"quoted\" ünïcode \n line", true, new BigDecimal("1.50"),
            new BigInteger("123456789012345678901234567890"), 42L, null, (short) -7, 2.5d, LocalDate.of(2026, 1, 2), 3};
        ColumnLogics.Json json = new ColumnLogics.Json(Side.V2, "attributes", PARTS);

        Object text = json.apply(Direction.FORWARD, values)[0];

        ObjectNode tree = new ObjectMapper().createObjectNode();
        tree.put("s", (String) values[0]).put("b", true).put("d", (BigDecimal) values[2])
                .put("i", (BigInteger) values[3]).put("l", 42L).putNull("n").put("x", -7L).put("f", 2.5d)
                .put("date", "2026-01-02").put("q", 3L);
        assertThat(text).isEqualTo(new ObjectMapper().writeValueAsString(tree));
        assertThat(json.apply(Direction.BACKWARD, new Object[] {text})).containsExactly("a \"quoted\" ünïcode \n line",
                true, new BigDecimal("1.5"), new BigInteger("123456789012345678901234567890"), 42L, null, -7L,
                new BigDecimal("2.5"), "2026-01-02", 3L);
        assertThat(json.apply(Direction.FORWARD, new Object[PARTS.size()])[0]).as("all NULL gives NULL").isNull();
    }
}
