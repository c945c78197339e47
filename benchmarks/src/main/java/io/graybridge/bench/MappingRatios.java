package io.graybridge.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@link MappingBenchmark} measured for a shared machine: per rule kind, the hand-written baseline and the
 * declarative path run back to back (in alternating order; each in its own fork with 5 warm-up iterations
 * of 2 s, since on a loaded machine the JIT needs several seconds for Jackson's code, then 3 of 1 s), in
 * several rounds. Each round's ratio (declarative / hand-written rows/s) is printed with the load average
 * at that moment, and the bytes each allocates per row (which the load does not change). A plain JMH run
 * measures every rule of one method before the other's, minutes apart, so a change in the machine's load
 * shows up as a change in the ratio; back to back, both sides of a ratio see about the same load.
 *
 * <p>Arguments: rounds (default 3), then a comma-separated list of rules (default all).
 */
public final class MappingRatios {
    private static final List<String> RULES = List.of("rename", "cents-to-decimal", "value-map", "timestamp-zone",
            "column-split", "pack-json", "expression");

    private MappingRatios() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> rules = args.length > 1 ? Arrays.asList(args[1].split(",")) : RULES;
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String rule : rules) {
                boolean handFirst = round % 2 == 0;
                double[] first = score(handFirst ? "handWritten" : "declarative", rule);
                double[] second = score(handFirst ? "declarative" : "handWritten", rule);
                double[] hand = handFirst ? first : second;
                double[] declarative = handFirst ? second : first;
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                results.computeIfAbsent(rule, r -> new ArrayList<>())
                        .add(new double[] {declarative[0], hand[0], load, declarative[1], hand[1]});
                System.out.printf(Locale.ROOT, "round %d  %-16s declarative %,12.0f  hand-written %,12.0f  ratio %.2f  load %.1f"
                        + "  allocated %.0f vs %.0f B/row%n",
                        round + 1, rule, declarative[0], hand[0], declarative[0] / hand[0], load, declarative[1], hand[1]);
            }
        }
        System.out.println();
        System.out.println("| rule | declarative rows/s (median) | hand-written rows/s (median) | ratio per round | median ratio"
                + " | load average per round | allocated B/row, declarative vs hand-written |");
        System.out.println("| --- | ---: | ---: | --- | ---: | --- | --- |");
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            List<double[]> rs = e.getValue();
            List<String> ratios = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            for (double[] r : rs) {
                ratios.add(String.format(Locale.ROOT, "%.2f", r[0] / r[1]));
                loads.add(String.format(Locale.ROOT, "%.1f", r[2]));
            }
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %s | %.2f | %s | %.0f vs %.0f |%n", e.getKey(),
                    median(rs.stream().mapToDouble(r -> r[0]).toArray()), median(rs.stream().mapToDouble(r -> r[1]).toArray()),
                    String.join(", ", ratios), median(rs.stream().mapToDouble(r -> r[0] / r[1]).toArray()),
                    String.join(", ", loads), median(rs.stream().mapToDouble(r -> r[3]).toArray()),
                    median(rs.stream().mapToDouble(r -> r[4]).toArray()));
        }
    }

    /** Rows/s and bytes allocated per row (JMH's GC profiler: does not depend on the machine's load). */
    private static double[] score(String method, String rule) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(MappingBenchmark.class.getName() + "." + method + "$")
                .param("rule", rule)
                .forks(1)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        Result<?> allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
        return new double[] {result.getPrimaryResult().getScore(), allocated == null ? Double.NaN : allocated.getScore()};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
