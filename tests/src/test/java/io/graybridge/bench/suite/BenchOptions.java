package io.graybridge.bench.suite;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one run of the benchmark suite measures and how much. Three profiles, each setting overridable by
 * a system property ({@code -Dgb.bench.rows=...}):
 *
 * <ul>
 *   <li>{@code default}: 1M rows applied per method and batch size, 1M captured changes, 10 s per load
 *       step; about 10 minutes on 2 cores;
 *   <li>{@code long}: as default, with 10M changes through the capture and memory section and 60 s steps;
 *   <li>{@code smoke}: a few thousand rows, for CI, which proves the harness works (its figures mean
 *       nothing).
 * </ul>
 *
 * @param profile the profile's name
 * @param sections which sections run (apply, capture, sustained)
 * @param applyRows rows the bridge's writer and COPY apply per run
 * @param naiveRows rows the naive per-row upsert applies (it is slow; its rate is per row, so fewer rows
 *     still measure it)
 * @param batchSizes the writer's batch sizes swept
 * @param captureChanges changes made once and delivered to each capture consumer; the memory figures come
 *     from the full lane on them
 * @param steps offered change rates, one load step each
 * @param stepSeconds how long each load step offers its rate
 * @param laneBatchSize the lanes' {@code batch-size} in the capture and sustained sections
 */
public record BenchOptions(
        String profile,
        Set<String> sections,
        int applyRows,
        int naiveRows,
        List<Integer> batchSizes,
        int captureChanges,
        List<Integer> steps,
        int stepSeconds,
        int laneBatchSize) {

    public static final List<String> ALL_SECTIONS = List.of("apply", "capture", "sustained");

    /** The options of the profile named by {@code gb.bench.profile} (default {@code default}), with overrides. */
    public static BenchOptions fromSystemProperties() {
        String profile = System.getProperty("gb.bench.profile", "default").trim().toLowerCase(Locale.ROOT);
        BenchOptions base = switch (profile) {
            case "default" -> new BenchOptions(profile, Set.copyOf(ALL_SECTIONS), 1_000_000, 50_000,
                    List.of(200, 1_000, 5_000, 10_000), 1_000_000, List.of(500, 1_000, 2_000, 5_000), 10, 2_000);
            case "long" -> new BenchOptions(profile, Set.copyOf(ALL_SECTIONS), 1_000_000, 50_000,
                    List.of(200, 1_000, 5_000, 10_000), 10_000_000, List.of(500, 1_000, 2_000, 5_000), 60, 2_000);
            case "smoke" -> smoke();
            default -> throw new IllegalArgumentException("gb.bench.profile=" + profile
                    + " is not a profile: use default, long or smoke");
        };
        return base.withOverrides();
    }

    /** Tiny sizes: proves every section runs and reports, in well under a minute. */
    public static BenchOptions smoke() {
        return new BenchOptions("smoke", Set.copyOf(ALL_SECTIONS), 4_000, 500, List.of(200, 1_000), 4_000,
                List.of(100, 200), 2, 500);
    }

    private BenchOptions withOverrides() {
        Set<String> only = sections;
        String sectionList = System.getProperty("gb.bench.sections");
        if (sectionList != null && !sectionList.isBlank()) {
            only = Arrays.stream(sectionList.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            for (String s : only) {
                if (!ALL_SECTIONS.contains(s)) {
                    throw new IllegalArgumentException("gb.bench.sections: '" + s + "' is not a section; use any of "
                            + ALL_SECTIONS);
                }
            }
        }
        return new BenchOptions(profile, only,
                positive("gb.bench.rows", applyRows),
                positive("gb.bench.naiveRows", naiveRows),
                intList("gb.bench.batchSizes", batchSizes),
                positive("gb.bench.captureChanges", captureChanges),
                intList("gb.bench.steps", steps),
                positive("gb.bench.stepSeconds", stepSeconds),
                positive("gb.bench.laneBatchSize", laneBatchSize));
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    private static int positive(String property, int fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim().replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + "=" + v + " is not a positive whole number");
    }

    private static List<Integer> intList(String property, List<Integer> fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            List<Integer> out = Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
            if (!out.isEmpty() && out.stream().allMatch(n -> n > 0)) {
                return out;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + "=" + v + " is not a comma-separated list of positive numbers");
    }
}
