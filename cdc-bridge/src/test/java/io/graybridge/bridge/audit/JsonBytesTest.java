package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The relay's JSON writer writes what Jackson's generator with the reference rendering's settings writes (strings,
 * whatever their characters) and what {@link Long#toString} and {@link BigDecimal#toString} write (numbers).
 */
class JsonBytesTest {
    /** Characters JSON treats apart, and some it does not, for random strings. */
    private static final String ALPHABET = "aZ09 \"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u0080\u00e9\u07ff\u0800\u2028\ufffd\uffff";
    private static final String[] PAIRS = {"\uD83D\uDE00", "\uD800\uDC00", "\uDBFF\uDFFF"};

    private static byte[] jackson(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = AuditEvent.UTF8.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeString(s);
        }
        return out.toByteArray();
    }

    private static String randomText(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(0, 40);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) == 0) {
                sb.append(PAIRS[r.nextInt(PAIRS.length)]);
            } else {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    @Test
    void shouldWriteStringsAsJacksonsGeneratorDoesFromTextAndFromUtf8Bytes() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        JsonBytes out = new JsonBytes(4); // grows, often
        for (int i = 0; i < 20_000; i++) {
            String s = randomText(r);
            byte[] expected = jackson(s);
            out.reset();
            out.string(s);
            assertThat(out.copy(0, out.len)).as("text %s", s).isEqualTo(expected);
            byte[] utf8 = ("xy" + s + "z").getBytes(StandardCharsets.UTF_8);
            out.reset();
            out.string(utf8, 2, utf8.length - 3);
            assertThat(out.copy(0, out.len)).as("bytes of %s", s).isEqualTo(expected);
        }
        String all = ALPHABET.repeat(3_000);
        out.reset();
        out.string(all);
        assertThat(out.copy(0, out.len)).isEqualTo(jackson(all));
    }

    @Test
    void shouldWriteLongsAsLongToString() {
        SplittableRandom r = new SplittableRandom(11);
        JsonBytes out = new JsonBytes(1);
        long[] edges = {0, 1, -1, 9, 10, 99, 100, -100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Short.MIN_VALUE, Integer.MAX_VALUE};
        for (long v : edges) {
            out.reset();
            out.number(v);
            assertThat(new String(out.copy(0, out.len), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            out.reset();
            out.number(v);
            assertThat(new String(out.copy(0, out.len), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void shouldWriteDecimalsAsBigDecimalToStringOrLeaveThemToIt() {
        SplittableRandom r = new SplittableRandom(13);
        JsonBytes out = new JsonBytes(1);
        int written = 0;
        int left = 0;
        for (int i = 0; i < 200_000; i++) {
            long unscaled = i % 50 == 0 ? (i % 100 == 0 ? 0 : Long.MIN_VALUE)
                    : i < 64 ? (i % 2 == 0 ? 1L : -1L) << (i / 2) : r.nextLong() >> r.nextInt(64);
            int scale = r.nextInt(-3, 26);
            String expected = new BigDecimal(BigInteger.valueOf(unscaled), scale).toString();
            out.reset();
            out.raw((byte) '[');
            if (out.decimal(unscaled, scale)) {
                written++;
                assertThat(new String(out.copy(1, out.len), StandardCharsets.US_ASCII))
                        .as("%d scale %d", unscaled, scale).isEqualTo(expected);
            } else {
                left++;
                assertThat(out.len).isEqualTo(1);
                assertThat(expected).as("left to BigDecimal: %d scale %d", unscaled, scale)
                        .matches(t -> t.contains("E") || unscaled == Long.MIN_VALUE);
            }
        }
        assertThat(written).isGreaterThan(100_000);
        assertThat(left).isPositive();
    }
}
