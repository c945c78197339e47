package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

class ValueDecoderTest {
    private static Schema bits(int length) {
        return SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", String.valueOf(length)).build();
    }

    @Test
    void shouldDecodeDebeziumBitsLittleEndianIntoDigitsMostSignificantFirst() {
        // b'0101010101' = 341 = 0x0155, little-endian bytes 0x55 0x01
        assertThat(ValueDecoder.decode(bits(10), new byte[] {0x55, 0x01})).isEqualTo("0101010101");
        assertThat(ValueDecoder.decode(bits(10), ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x03}))).isEqualTo("1111111111");
        assertThat(ValueDecoder.decode(bits(10), new byte[] {0x01})).as("fewer bytes than bits").isEqualTo("0000000001");
        assertThat(ValueDecoder.bits(new byte[] {(byte) 0x80}, null)).as("no length: every bit").isEqualTo("10000000");
    }

    @Test
    void shouldDecodeUnsignedAndPreciseValuesAsTheyCome() {
        assertThat(ValueDecoder.decode(Schema.INT16_SCHEMA, (short) 255)).isEqualTo((short) 255);
        java.math.BigDecimal max = new java.math.BigDecimal("18446744073709551615");
        assertThat(ValueDecoder.decode(org.apache.kafka.connect.data.Decimal.schema(0), max)).isEqualTo(max);
    }
}
