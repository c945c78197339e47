package io.graybridge.bench;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.RowTranslator;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The mapping stage, one row per operation (so ops/s is rows/s), forward, per rule kind: the declarative
 * translator a mapping file builds ({@code declarative}) beside a hand-written Java mapper doing the same
 * ({@code handWritten}, the baseline). Each row has an id, two pass-through columns and the rule's columns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MappingBenchmark {
    @Param({"rename", "cents-to-decimal", "value-map", "timestamp-zone", "column-split", "pack-json", "expression"})
    public String rule;

    private RowTranslator declarative;
    private RowTranslator handWritten;
    private Row row;

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Setup
    public void setup() {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("id", 42L);
        base.put("email", "ada@example.com");
        base.put("created_at", LocalDateTime.of(2026, 1, 2, 3, 4));
        String yamlRule;
        switch (rule) {
            case "rename" -> {
                yamlRule = "- v1: name\n  v2: full_name";
                base.put("name", "Ada Lovelace");
                handWritten = r -> passThrough(r, "name").with("full_name", r.get("name"));
            }
            case "cents-to-decimal" -> {
                yamlRule = "- v1: balance_cents\n  v2: balance\n  convert: cents-to-decimal";
                base.put("balance_cents", 123456L);
                handWritten = r -> passThrough(r, "balance_cents")
                        .with("balance", new BigDecimal(BigInteger.valueOf((Long) r.get("balance_cents")), 2));
            }
            case "value-map" -> {
                yamlRule = "- v1: status\n  map: {A: active, I: inactive}";
                base.put("status", "A");
                handWritten = r -> passThrough(r, "status").with("status", switch ((String) r.get("status")) {
                    case "A" -> "active";
                    case "I" -> "inactive";
                    default -> throw new IllegalArgumentException("unmapped");
                });
            }
            case "timestamp-zone" -> {
                yamlRule = "- v1: placed_at\n  convert: timestamp-to-timestamptz\n  zone: Europe/Paris";
                base.put("placed_at", LocalDateTime.of(2026, 7, 1, 12, 0));
                handWritten = r -> passThrough(r, "placed_at")
                        .with("placed_at", ((LocalDateTime) r.get("placed_at")).atZone(PARIS).toOffsetDateTime());
            }
            case "column-split" -> {
                yamlRule = "- v1: name\n  split: [first_name, last_name]\n  separator: ' '";
                base.put("name", "Ada Lovelace");
                handWritten = r -> {
                    String n = (String) r.get("name");
                    int at = n.indexOf(' ');
                    return passThrough(r, "name").with("first_name", at < 0 ? n : n.substring(0, at))
                            .with("last_name", at < 0 ? null : n.substring(at + 1));
                };
            }
            case "pack-json" -> {
                yamlRule = "- v2: attributes\n  pack-json: [color, size]";
                base.put("color", "red");
                base.put("size", 42L);
                handWritten = r -> passThrough(r, "color", "size").with("attributes",
                        "{\"color\":\"" + r.get("color") + "\",\"size\":" + r.get("size") + "}");
            }
            case "expression" -> {
                yamlRule = "- v1: price_cents\n  v2: price\n  compute: 'fn:decimal(price_cents) / 100'\n"
                        + "  inverse: 'fn:integer(price * 100)'";
                base.put("price_cents", 899L);
                handWritten = r -> passThrough(r, "price_cents")
                        .with("price", BigDecimal.valueOf((Long) r.get("price_cents")).divide(BigDecimal.valueOf(100)));
            }
            default -> throw new IllegalArgumentException(rule);
        }
        row = Row.of(base);
        declarative = load(yamlRule).forward();
        Row a = declarative.translate(row);
        Row b = handWritten.translate(row);
        if (!a.equals(b)) {
            throw new IllegalStateException(rule + ": the two mappers disagree: " + a + " vs " + b);
        }
    }

    /** What a hand-written mapper does first: copy the row without the columns its rule replaces. */
    private static Row passThrough(Row r, String... replaced) {
        Map<String, Object> out = new LinkedHashMap<>(r.asMap());
        for (String c : replaced) {
            out.remove(c);
        }
        return Row.of(out);
    }

    private static TableMapping load(String rule) {
        try {
            Path f = Files.createTempFile("bench", ".yaml");
            Files.writeString(f, "tables:\n  - v1: t\n    columns:\n" + rule.indent(6));
            TableMapping m = MappingFiles.load(f, Map.of()).tables().get(0);
            Files.delete(f);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public Row declarative() {
        return declarative.translate(row);
    }

    @Benchmark
    public Row handWritten() {
        return handWritten.translate(row);
    }
}
