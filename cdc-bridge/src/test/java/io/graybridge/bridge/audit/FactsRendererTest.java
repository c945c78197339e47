package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The relay's one-pass renderer gives, event after event with its generator and caches reused, exactly the bytes,
 * id and record key of the reference rendering ({@link ChangeFacts#event}), for every value type, every kind of
 * image and every masking mode.
 */
class FactsRendererTest {
    private static final Object[] VALUES = {
        null, "", "quote \" backslash \\ tab \t nul \u0000 \u001f \u007f \u00e9 \u2028 \uD83D\uDE00 / </script>", true,
        false, (short) 0, Short.MIN_VALUE, 7, Integer.MIN_VALUE, 0L, Long.MIN_VALUE, Long.MAX_VALUE,
        new BigInteger("-98765432109876543210987654321"), 0f, -0f, Float.NaN, 1.1f, -0d, Double.NEGATIVE_INFINITY,
        Double.MAX_VALUE, 0.1d, new BigDecimal("-12.3400"), new BigDecimal("1E+5"), new byte[0], new byte[] {0, -128, 127},
        LocalDate.MIN, LocalDate.of(1969, 12, 31), LocalTime.MIDNIGHT, LocalTime.of(1, 2, 3, 4_000_000),
        LocalDateTime.of(-5, 1, 1, 0, 0), LocalDateTime.of(2026, 11, 27, 13, 59, 1, 1),
        LocalDateTime.of(2026, 11, 27, 13, 59), OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 500, ZoneOffset.ofHours(-9)),
        Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999), Instant.MAX, new UUID(0, 0),
        UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2")
    };

    /** A row with every value, in an order that depends on {@code shift}, keyed {@code id} and {@code email}. */
    private static Row row(long id, int shift, String email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("email", email);
        for (int i = 0; i < VALUES.length; i++) {
            m.put("c" + i, VALUES[(i + shift) % VALUES.length]);
        }
        m.put("created_at", LocalDateTime.of(2026, 11, 27, 10, 0, 0, 123_000_000));
        return Row.of(m);
    }

    private static List<ChangeFacts> cases() {
        List<ChangeFacts> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ChangeFacts.SourceImages images = ChangeFacts.SourceImages.values()[i % 3];
            boolean carried = images == ChangeFacts.SourceImages.CARRIED;
            Row before = i % 4 == 0 ? null : row(i, i, "user" + i + "@mail.test");
            Row after = i % 7 == 0 ? null : row(i, i + 1, i % 5 == 0 ? null : "user" + i + "@mail.test");
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("id", (long) i);
            key.put("email", i % 6 == 0 ? "tricky \"key\" \u00e9 \uD83D\uDE00" : "user" + i + "@mail.test");
            Instant commit = Instant.ofEpochSecond(1_800_000_000L + i / 3, (i / 3) * 1000L);
            out.add(new ChangeFacts(i % 9 == 0 ? "shop \"blue\"" : "shop", i % 2 == 0 ? "v1-to-v2" : "v2-to-v1", "v1",
                    i % 8 == 0 ? null : "v2", i % 2 == 0 ? "m" : null, i % 3 == 0 ? null : "customers", "clients",
                    Row.of(key), List.of("id", "email"), i % 10 == 0 ? "snapshot" : "update",
                    i % 3 == 0 ? null : "update", "update", i % 2 == 0 ? List.of("c1", "email") : null,
                    i % 2 == 0 ? "UPDATE_UPDATE" : null, i % 2 == 0 ? "v1" : null, before, after, images,
                    carried ? row(i, i + 2, "source" + i + "@mail.test") : null, carried ? after : null,
                    i % 11 == 0 ? null : "0/" + (i / 3), i % 3 == 0 ? null : "tx" + i, i % 5 == 0 ? null : commit,
                    "dual", i % 5 == 0 ? Instant.ofEpochSecond(1_900_000_000L, i) : commit));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldRenderEveryEventExactlyAsTheReferenceRendering(AuditConfig.Masking masking) {
        // email is a key column of clients (kept there) but not of customers, the source table (hidden there)
        ColumnMasker masker = new ColumnMasker(Set.of("clients.email", "clients.c3", "customers.email", "customers.c4"),
                masking, "salt");
        List<ChangeFacts> all = cases();
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        all.forEach(w::writeFacts);
        FactsCodec.Reader in = new FactsCodec.Reader(w.array(), 0, w.length());
        FactsRenderer renderer = new FactsRenderer(masker);
        for (ChangeFacts f : all) {
            AuditEvent expected = f.event(masker);
            AuditBundle.Entry got = renderer.render(in);
            assertThat(got.id()).isEqualTo(expected.id());
            assertThat(got.type()).isEqualTo(expected.type().type());
            assertThat(got.recordKey()).isEqualTo(expected.recordKey());
            assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo(expected.toJson());
            assertThat(got.payload()).isEqualTo(expected.toJsonBytes());
            String text = new String(got.payload(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\"source" + f.key().get("id") + "@mail.test");
        }
        assertThat(in.hasMore()).isFalse();
    }

    private static final BigDecimal[] DECIMALS = {
        new BigDecimal("0.00"), new BigDecimal("123456789.123"), new BigDecimal("-0.0000001"), new BigDecimal("1E-7"),
        new BigDecimal("0E-10"), new BigDecimal("9223372036854775.807"), BigDecimal.valueOf(Long.MIN_VALUE, 2),
        new BigDecimal("-12345678901234567890.12"), new BigDecimal("1E+3"), new BigDecimal("0.000001"),
        new BigDecimal("100"), new BigDecimal("-5.5"), BigDecimal.ZERO
    };

    /** Every character below U+0080, then the others JSON treats apart, each on its own and in a run. */
    private static String everyAsciiAndMore() {
        StringBuilder sb = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            sb.append(c);
        }
        return sb.append("\u0080\u07ff\u0800\ufffd\uffff\uD800\uDC00\uDBFF\uDFFF\uD83D\uDE00 lone \uD800 and \uDC00 end")
                .toString();
    }

    /**
     * Names (table, columns, lane, bridge, key columns) and texts that need escaping or are not ASCII, texts longer than
     * the renderer's buffer, every control character, lone surrogates (stored as {@code ?}), masked values of every
     * type: the fast renderer's bytes equal the reference's.
     */
    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldRenderTrickyNamesAndTextsExactlyAsTheReferenceRendering(AuditConfig.Masking masking) {
        String weird = "t\"a\\b/\u00e9\u4e2d\uD83D\uDE00\u0001\n";
        String table = "cli\"ents \u00e9";
        ColumnMasker masker = new ColumnMasker(Set.of(table + "." + weird, table + ".m0", table + ".m1", table + ".m2",
                table + ".m3", table + ".m4", table + ".m5", "src\\t.s\u00e9cret"), masking, "s\u00e9l");
        String ascii = everyAsciiAndMore();
        String longText = "\u00e9".repeat(9_000) + ascii.repeat(300) + "\"";
        List<ChangeFacts> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) i);
            m.put(weird, i % 2 == 0 ? ascii : null);
            m.put("\u00e9t\u00e9", i % 3 == 0 ? longText : "caf\u00e9 \uD83D\uDE00");
            m.put("ctl\u0000\u001f\u007f", ascii.substring(i, i + 10));
            m.put("m0", new BigDecimal("-0.000" + i));
            m.put("m1", i % 2 == 0 ? Double.NaN : -1.5e300);
            m.put("m2", new byte[] {(byte) i, -1});
            m.put("m3", i % 2 == 0 ? Long.MIN_VALUE : (short) -i);
            m.put("m4", LocalDateTime.of(2026, 1, 1, 0, 0, i));
            m.put("m5", i % 3 == 0 ? null : UUID.nameUUIDFromBytes(new byte[] {(byte) i}));
            m.put("dec", DECIMALS[i % DECIMALS.length]);
            m.put("dec2", DECIMALS[(i + 5) % DECIMALS.length]);
            Row row = Row.of(m);
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("id", (long) i);
            key.put(weird, ascii.substring(0, 40 + i)); // the subject escapes the key's JSON escapes again
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("s\u00e9cret", "hidden " + i);
            source.put("plain", (float) i / 3);
            source.put("big", new BigInteger("123456789012345678901234567890").negate().shiftLeft(i));
            Instant t = Instant.ofEpochSecond(1_800_000_000L + i, i * 100_000_000L);
            all.add(new ChangeFacts("br\"idge\u00e9", "lane \\ \uD83D\uDE00", "v1", "v2", "map\tping", "src\\t", table,
                    Row.of(key), List.of("id", weird), i % 4 == 0 ? "snapshot" : "update", "upd\"ate", "update",
                    List.of(weird, "\u00e9t\u00e9"), null, null, i % 5 == 0 ? null : row, row,
                    ChangeFacts.SourceImages.CARRIED, Row.of(source), i % 2 == 0 ? null : Row.of(source),
                    i % 6 == 0 ? null : "0/\u00e9\"" + i, "tx\u0002" + i, t, "du\u00e9l", t));
        }
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        all.forEach(w::writeFacts);
        FactsCodec.Reader in = new FactsCodec.Reader(w.array(), 0, w.length());
        FactsRenderer renderer = new FactsRenderer(masker);
        for (ChangeFacts f : all) {
            // the reference renders what the outbox holds: the facts as stored (lone surrogates are ? there)
            AuditEvent expected = stored(f).event(masker);
            AuditBundle.Entry got = renderer.render(in);
            assertThat(got.id()).isEqualTo(expected.id());
            assertThat(got.recordKey()).isEqualTo(expected.recordKey());
            assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo(expected.toJson());
            assertThat(got.payload()).isEqualTo(expected.toJsonBytes());
        }
        assertThat(in.hasMore()).isFalse();
    }

    /**
     * One renderer (as the relay keeps) over bundles whose names are numbered differently: the cases in their order,
     * then reversed (so other names come first and get the low numbers), then each case alone: every event equals the
     * reference, so nothing the renderer keeps by a name's number in one bundle leaks into the next.
     */
    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldRenderBundlesWhoseNamesAreNumberedDifferentlyWithOneRenderer(AuditConfig.Masking masking) {
        ColumnMasker masker = new ColumnMasker(Set.of("clients.email", "clients.c3", "customers.email", "customers.c4"),
                masking, "salt");
        List<ChangeFacts> forward = cases();
        List<ChangeFacts> reversed = new ArrayList<>(forward);
        java.util.Collections.reverse(reversed);
        List<List<ChangeFacts>> bundles = new ArrayList<>(List.of(forward, reversed));
        forward.forEach(f -> bundles.add(List.of(f)));
        FactsRenderer renderer = new FactsRenderer(masker);
        for (List<ChangeFacts> bundle : bundles) {
            FactsCodec.Writer w = new FactsCodec.Writer(16);
            bundle.forEach(w::writeFacts);
            FactsCodec.Reader in = new FactsCodec.Reader(w.array(), 0, w.length());
            for (ChangeFacts f : bundle) {
                AuditBundle.Entry got = renderer.render(in);
                assertThat(got.id()).isEqualTo(f.id());
                assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo(f.event(masker).toJson());
            }
            assertThat(in.hasMore()).isFalse();
        }
    }

    /** {@code f} as the relay reads it back from a bundle. */
    private static ChangeFacts stored(ChangeFacts f) {
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        w.writeFacts(f);
        return new FactsCodec.Reader(w.array(), 0, w.length()).readFacts();
    }

    @ParameterizedTest
    @EnumSource(AuditConfig.Masking.class)
    void shouldRefuseAMalformedRecordAndRenderTheNextOneUnharmed(AuditConfig.Masking masking) {
        ColumnMasker masker = new ColumnMasker(Set.of("clients.email"), masking, "salt");
        ChangeFacts f = cases().get(1);
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        w.writeFacts(f);
        FactsRenderer renderer = new FactsRenderer(masker);
        for (int cut : new int[] {3, 40, w.length() / 2, w.length() - 1}) {
            FactsCodec.Reader r = new FactsCodec.Reader(Arrays.copyOf(w.array(), cut), 0, cut);
            assertThatThrownBy(() -> renderer.render(r)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("audit bundle");
        }
        AuditBundle.Entry next = renderer.render(new FactsCodec.Reader(w.array(), 0, w.length()));
        assertThat(next.payload()).isEqualTo(f.event(masker).toJsonBytes());
    }
}
