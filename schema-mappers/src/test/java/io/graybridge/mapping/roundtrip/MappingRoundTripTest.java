package io.graybridge.mapping.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Property-based round trips: every rule kind, both directions, on generated values including NULL. */
class MappingRoundTripTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final TableMapping MAPPING = load("""
            tables:
              - v1: t
                key: id
                columns:
                  - v1: status
                    map: {A: active, I: inactive, S: suspended}
                  - v1: balance_cents
                    v2: balance
                    convert: cents-to-decimal
                  - v1: placed_at
                    convert: timestamp-to-timestamptz
                    zone: America/New_York
                  - v1: vip
                    convert: boolean-to-char
                    flags: {true: Y, false: N}
                  - v1: name
                    split: [first_name, last_name]
                    separator: ' '
                  - v2: address
                    merge: [street, city]
                    separator: ', '
                  - v2: attributes
                    pack-json: [color, size, fragile]
                  - v1: price_cents
                    v2: price
                    compute: 'fn:decimal(price_cents) / 100'
                    inverse: 'fn:integer(price * 100)'
            """);

    private static TableMapping load(String yaml) {
        try {
            Path f = Files.createTempFile("roundtrip", ".yaml");
            Files.writeString(f, yaml);
            TableMapping m = MappingFiles.load(f, Map.of()).tables().get(0);
            Files.delete(f);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row row(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of(m);
    }

    private static void assertRoundTrips(Direction first, Row row) {
        RoundTrip.Outcome outcome = RoundTrip.of(MAPPING, first, row);
        assertThat(outcome.losses()).as("%s round trip of %s", first, row).isEmpty();
        assertThat(outcome.notCarried()).isEmpty();
    }

    @Provide
    Arbitrary<String> statusCodes() {
        return Arbitraries.of("A", "I", "S").injectNull(0.2);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(30).edgeCases(c -> c.add("")).injectNull(0.1);
    }

    @Property
    void shouldRoundTripEveryMappedStatusBothWays(@ForAll("statusCodes") String code) {
        assertRoundTrips(Direction.FORWARD, row("id", 1L, "status", code));
        Object v2 = MAPPING.translate(Direction.FORWARD, row("status", code)).get("status");
        assertRoundTrips(Direction.BACKWARD, row("id", 1L, "status", v2));
    }

    @Property
    void shouldRoundTripAnyCentsAmount(@ForAll long cents) {
        assertRoundTrips(Direction.FORWARD, row("balance_cents", cents));
        assertRoundTrips(Direction.BACKWARD, row("balance", BigDecimal.valueOf(cents, 2)));
    }

    @Property
    void shouldRoundTripAnyInstantThroughTheZone(@ForAll @LongRange(min = -2_000_000_000L, max = 4_000_000_000L) long epochSecond,
            @ForAll @IntRange(min = -12, max = 14) int offsetHours) {
        OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochSecond), ZoneOffset.ofHours(offsetHours));
        if (inTheRepeatedHour(t)) {
            // the second pass through a fall-back hour reads back as the first: lossy, and said so
            assertThat(RoundTrip.of(MAPPING, Direction.BACKWARD, row("placed_at", t)).losses())
                    .extracting(RoundTrip.Loss::column).contains("placed_at");
        } else {
            assertRoundTrips(Direction.BACKWARD, row("placed_at", t));
        }
        LocalDateTime local = t.atZoneSameInstant(NEW_YORK).toLocalDateTime();
        assertRoundTrips(Direction.FORWARD, row("placed_at", local));
    }

    @Example
    void shouldReportAnInstantInTheSecondPassOfAFallBackHourAsLossy() {
        // 2004-10-31 06:30Z is 01:30 EST, after 01:30 EDT (05:30Z): the wall-clock time names both instants
        OffsetDateTime second = OffsetDateTime.parse("2004-10-31T06:30:00Z");
        assertThat(inTheRepeatedHour(second)).isTrue();
        RoundTrip.Outcome outcome = RoundTrip.of(MAPPING, Direction.BACKWARD, row("placed_at", second));
        assertThat(outcome.losses()).extracting(RoundTrip.Loss::column).containsExactly("placed_at");
        // the first pass comes back as it went
        assertRoundTrips(Direction.BACKWARD, row("placed_at", OffsetDateTime.parse("2004-10-31T05:30:00Z")));
    }

    /** Whether the instant's wall-clock time in New York also names an earlier instant (a fall-back hour's second pass). */
    private static boolean inTheRepeatedHour(OffsetDateTime t) {
        LocalDateTime local = t.atZoneSameInstant(NEW_YORK).toLocalDateTime();
        java.util.List<ZoneOffset> offsets = NEW_YORK.getRules().getValidOffsets(local);
        return offsets.size() == 2 && !offsets.get(0).equals(NEW_YORK.getRules().getOffset(t.toInstant()));
    }

    @Property
    void shouldRoundTripBooleanFlags(@ForAll Boolean vip) {
        assertRoundTrips(Direction.FORWARD, row("vip", vip));
    }

    @Property
    void shouldRoundTripAnyNameThroughTheSplit(@ForAll("anyText") String name) {
        assertRoundTrips(Direction.FORWARD, row("name", name));
    }

    @Property
    void shouldReportAFirstNameContainingTheSeparatorAsLossy(@ForAll("anyText") String first) {
        Row v2 = row("first_name", "Jean " + first, "last_name", "Sartre");
        RoundTrip.Outcome outcome = RoundTrip.of(MAPPING, Direction.BACKWARD, v2);
        assertThat(outcome.losses()).extracting(RoundTrip.Loss::column).contains("first_name", "last_name");
    }

    @Property
    void shouldRoundTripAnAddressWhoseStreetHasNoSeparator(@ForAll("anyText") String street, @ForAll("anyText") String city) {
        boolean splittable = street != null && !street.contains(", ") && city != null;
        Row v1 = row("street", street, "city", city);
        if (splittable) {
            assertRoundTrips(Direction.FORWARD, v1);
        }
        String address = (String) MAPPING.translate(Direction.FORWARD, v1).get("address");
        assertRoundTrips(Direction.BACKWARD, row("address", address));
    }

    @Property
    void shouldRoundTripPackedJson(@ForAll("anyText") String color, @ForAll Long size, @ForAll Boolean fragile) {
        assertRoundTrips(Direction.FORWARD, row("color", color, "size", size, "fragile", fragile));
    }

    @Property
    void shouldRoundTripAComputedPriceWithItsInverse(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long cents) {
        assertRoundTrips(Direction.FORWARD, row("price_cents", cents));
    }
}
