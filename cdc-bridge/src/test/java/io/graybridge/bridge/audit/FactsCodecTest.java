package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FactsCodecTest {
    private static final Object[] VALUES = {
        null, "", "text \u00e9 \uD83D\uDE00 \u0000", true, false, (short) 0, Short.MIN_VALUE, Short.MAX_VALUE, 0, -1,
        Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, Long.MIN_VALUE, Long.MAX_VALUE, BigInteger.ZERO,
        new BigInteger("-98765432109876543210987654321"), 0f, -0f, Float.NaN, Float.MIN_VALUE, 1.1f, 0d, -0d,
        Double.NEGATIVE_INFINITY, Double.MAX_VALUE, 0.1d, BigDecimal.ZERO, new BigDecimal("-12.3400"),
        new BigDecimal("1E+5"), new BigDecimal("123456789012345678901234567890.000000001"), new byte[0],
        new byte[] {0, -128, 127}, LocalDate.MIN, LocalDate.MAX, LocalDate.of(1969, 12, 31), LocalTime.MIDNIGHT,
        LocalTime.MAX, LocalDateTime.of(-5, 1, 1, 0, 0), LocalDateTime.of(2026, 11, 27, 13, 59, 1, 1),
        OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 500, ZoneOffset.ofHoursMinutesSeconds(-9, -30, -15)),
        OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.MAX), Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999),
        Instant.MAX, UUID.randomUUID(), new UUID(0, 0)
    };

    private static Row everyValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < VALUES.length; i++) {
            m.put("c" + i, VALUES[i]);
        }
        return Row.of(m);
    }

    private static ChangeFacts facts(int i, ChangeFacts.SourceImages images) {
        Row row = everyValue();
        boolean carried = images == ChangeFacts.SourceImages.CARRIED;
        return new ChangeFacts("shop", "v1-to-v2", "v1", "v2", i % 2 == 0 ? "m" : null, i % 3 == 0 ? null : "customers",
                "clients", Row.of(Map.of("id", (long) i)), List.of("id"), "update", i % 3 == 0 ? null : "update",
                "update", i % 2 == 0 ? List.of("c1", "c2") : null, i % 2 == 0 ? "UPDATE_UPDATE" : null,
                i % 2 == 0 ? "v1" : null, i % 4 == 0 ? null : row, row.with("c1", "after " + i), images,
                carried ? row : null, carried ? row.without("c3") : null, "0/" + i, i % 3 == 0 ? null : "tx" + i,
                i % 5 == 0 ? null : Instant.ofEpochSecond(1_800_000_000L + i, i), "dual",
                Instant.ofEpochSecond(1_800_000_000L + i, i));
    }

    @Test
    void shouldReadBackEveryFactAndEveryCanonicalValueExactly() {
        List<ChangeFacts> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(facts(i, ChangeFacts.SourceImages.values()[i % 3]));
        }
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        all.forEach(w::writeFacts);
        FactsCodec.Reader r = new FactsCodec.Reader(w.array(), 0, w.length());
        for (ChangeFacts f : all) {
            ChangeFacts back = r.readFacts();
            assertThat(back).isEqualTo(f);
            if (f.after() != null) {
                for (Map.Entry<String, Object> e : f.after().asMap().entrySet()) {
                    Object v = back.after().get(e.getKey());
                    assertThat(v == null ? null : v.getClass()).as(e.getKey()).isEqualTo(e.getValue() == null ? null : e.getValue().getClass());
                    assertThat(String.valueOf(JsonValues.of(v))).as(e.getKey()).isEqualTo(String.valueOf(JsonValues.of(e.getValue())));
                }
            }
        }
        assertThat(r.hasMore()).isFalse();
    }

    /**
     * Bundles packed one after the other on one thread share its scratch buffers: a big bundle, then smaller ones,
     * each unpacks to exactly its own events (nothing left over from the one before), texts around the one-byte
     * length limit of the ASCII path included.
     */
    @Test
    void shouldPackBundlesBackToBackOnOneThreadEachWithOnlyItsOwnRecords() {
        ColumnMasker masker = new ColumnMasker(java.util.Set.of("clients.c2"), io.graybridge.bridge.config.AuditConfig.Masking.HASH, "s");
        List<String> texts = List.of("a".repeat(125), "b".repeat(126), "c".repeat(127), "d".repeat(128), "\u00e9".repeat(126),
                "x".repeat(126) + "\u00e9", "\u007f".repeat(126), "y".repeat(70_000));
        for (int size : new int[] {400, 3, 1, 60, 2}) {
            List<ChangeFacts> all = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                ChangeFacts f = facts(i + size, ChangeFacts.SourceImages.values()[i % 3]);
                Row after = f.after().with("c2", texts.get((i + size) % texts.size()));
                all.add(new ChangeFacts(f.bridge(), f.lane(), f.sourceSide(), f.targetSide(), f.mapping(), f.sourceTable(),
                        f.table(), f.key(), f.keyColumns(), f.operation(), f.sourceOperation(), f.action(), f.setColumns(),
                        f.conflict(), f.winner(), f.before(), after, f.sourceImages(), f.sourceBefore(), f.sourceAfter(),
                        f.position(), f.transaction(), f.commitTime(), f.phase(), f.time()));
            }
            List<AuditBundle.Entry> back = AuditBundle.unpack(AuditBundle.pack(all), masker);
            assertThat(back).hasSize(size);
            for (int i = 0; i < size; i++) {
                assertThat(back.get(i).payload()).isEqualTo(all.get(i).event(masker).toJsonBytes());
            }
        }
    }

    @Test
    void shouldWriteNamesOncePerBundle() {
        FactsCodec.Writer one = new FactsCodec.Writer(16);
        one.writeFacts(facts(1, ChangeFacts.SourceImages.OMITTED));
        FactsCodec.Writer two = new FactsCodec.Writer(16);
        two.writeFacts(facts(1, ChangeFacts.SourceImages.OMITTED));
        int first = two.length();
        two.writeFacts(facts(1, ChangeFacts.SourceImages.OMITTED));
        assertThat(one.length()).isEqualTo(first);
        assertThat(two.length() - first).as("the second change refers to the names of the first").isLessThan(first - 150);
    }

    @Test
    void shouldRefuseATruncatedOrCorruptRecordWithTheReason() {
        FactsCodec.Writer w = new FactsCodec.Writer(16);
        w.writeFacts(facts(1, ChangeFacts.SourceImages.CARRIED));
        for (int cut : new int[] {1, 10, w.length() / 2, w.length() - 1}) {
            FactsCodec.Reader r = new FactsCodec.Reader(Arrays.copyOf(w.array(), cut), 0, cut);
            assertThatThrownBy(r::readFacts).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audit bundle");
        }
        FactsCodec.Reader unknownName = new FactsCodec.Reader(new byte[] {9}, 0, 1);
        assertThatThrownBy(unknownName::readFacts).hasMessageContaining("name #7 of 0");
        FactsCodec.Reader unknownTag = new FactsCodec.Reader(new byte[] {99}, 0, 1);
        assertThatThrownBy(unknownTag::readValue).hasMessageContaining("unknown value tag 99");
    }
}
