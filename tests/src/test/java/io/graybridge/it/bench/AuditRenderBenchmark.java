package io.graybridge.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.AuditBundle;
import io.graybridge.bridge.audit.ChangeFacts;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.it.support.ProcCpu;
import io.graybridge.mapping.Row;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The relay's rendering alone, in one JVM, against a baseline from the same run: the CPU per event of the relay's
 * one-pass rendering of a stored bundle ({@link AuditBundle#unpack}: LZ4, decoding, masking, JSON, id) beside the
 * reference rendering the relay used before ({@link ChangeFacts#event} then {@code toJsonBytes}, from facts decoded
 * already, so the baseline leaves out the decoding and decompression it also paid for). The events are those of
 * {@link AuditBenchmark}'s lane: a {@code customers} update applied to {@code clients} (renamed table and columns,
 * so both images of both sides are carried), the email hashed.
 *
 * <p>Rounds alternate the two (ABAB...) after warming both; figures are medians of the rounds, by the thread's CPU
 * time (less sensitive than wall time to other work on the machine), the wall time beside it.
 *
 * <p>Not a test. Run: {@code mvn -B -q verify -pl tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=AuditRenderBenchmark}; also written to {@code tests/target/benchmark-audit-render.txt}.
 */
class AuditRenderBenchmark {
    private static final int EVENTS = 1_000;

    @Test
    void measureTheRelaysRenderingAgainstTheReferenceRendering() throws Exception {
        int rounds = Integer.getInteger("gb.bench.rounds", 20);
        ColumnMasker masker = new ColumnMasker(Set.of("customers.email", "clients.email"), AuditConfig.Masking.HASH, "bench");
        List<ChangeFacts> facts = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            facts.add(facts(i));
        }
        byte[] bundle = AuditBundle.pack(facts);
        List<AuditBundle.Entry> rendered = AuditBundle.unpack(bundle, masker);
        for (int i = 0; i < EVENTS; i++) {
            assertThat(rendered.get(i).payload()).isEqualTo(facts.get(i).event(masker).toJsonBytes());
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[2][rounds];
        double[][] wall = new double[2][rounds];
        long sink = 0;
        for (int r = -rounds / 2; r < rounds; r++) { // the first rounds/2 warm both and are not counted
            for (int mode = 0; mode < 2; mode++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int rep = 0; rep < 20; rep++) {
                    if (mode == 0) {
                        for (ChangeFacts f : facts) {
                            sink += f.event(masker).toJsonBytes().length;
                        }
                    } else {
                        for (AuditBundle.Entry e : AuditBundle.unpack(bundle, masker)) {
                            sink += e.payload().length;
                        }
                    }
                }
                if (r >= 0) {
                    cpu[mode][r] = (mx.getCurrentThreadCpuTime() - c0) / (20e3 * EVENTS); // us per event
                    wall[mode][r] = (System.nanoTime() - t0) / (20e3 * EVENTS);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "GrayBridge audit rendering: %,d events per bundle (customers -> clients update,"
                + " both sides' images, email hashed), %d rounds of 20 bundles per mode after %d warm-up rounds, alternating;"
                + " Java %s, load average %.1f", EVENTS, rounds, rounds / 2, System.getProperty("java.version"), ProcCpu.load()));
        lines.add(String.format(Locale.ROOT, "reference (ChangeFacts.event + toJsonBytes, decoded facts): median %.2f us CPU per"
                + " event (%.2f to %.2f), %.2f us wall", median(cpu[0]), min(cpu[0]), max(cpu[0]), median(wall[0])));
        lines.add(String.format(Locale.ROOT, "relay (AuditBundle.unpack: LZ4, decode, render):     median %.2f us CPU per"
                + " event (%.2f to %.2f), %.2f us wall", median(cpu[1]), min(cpu[1]), max(cpu[1]), median(wall[1])));
        lines.add(String.format(Locale.ROOT, "relay / reference: %.2f (CPU), %.2f (wall); %,d bytes per event", median(cpu[1])
                / median(cpu[0]), median(wall[1]) / median(wall[0]), sink / ((rounds + rounds / 2) * 2 * 20L * EVENTS)));
        lines.forEach(System.out::println);
        Path out = Path.of("target", "benchmark-audit-render.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertThat(median(cpu[1])).isPositive();
    }

    /** One applied change of the benchmark's lane, as the writer stores its facts. */
    private static ChangeFacts facts(int i) {
        long id = 1 + i % 5_000;
        LocalDateTime created = LocalDateTime.of(2026, 11, 27, 12, 0, 0, 123_456_000);
        Row before = client(id, 1000L * i, created);
        Row after = client(id, 1000L * i + 7, created);
        Instant commit = Instant.ofEpochSecond(1_800_000_000L + i / 10, (i / 10) * 1_000L);
        return new ChangeFacts("bench", "v1-to-v2", "v1", "v2", "customers", "customers", "clients", Row.of(Map.of("id", id)),
                List.of("id"), "update", "update", "update", List.of("balance"), null, null, before, after,
                ChangeFacts.SourceImages.CARRIED, customer(id, 1000L * i, created), customer(id, 1000L * i + 7, created),
                "0/" + Long.toHexString(0x16B3748L + 100L * i), Integer.toString(1000 + i / 10), commit, "dual", commit);
    }

    private static Row client(long id, long cents, LocalDateTime created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("full_name", "c" + id);
        m.put("email", "c" + id + "@mail.test");
        m.put("balance", BigDecimal.valueOf(cents, 2));
        m.put("status", "A");
        m.put("tier", "standard");
        m.put("created_at", created);
        return Row.of(m);
    }

    private static Row customer(long id, long cents, LocalDateTime created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", "c" + id);
        m.put("email", "c" + id + "@mail.test");
        m.put("balance_cents", cents);
        m.put("status", "A");
        m.put("created_at", created);
        return Row.of(m);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
