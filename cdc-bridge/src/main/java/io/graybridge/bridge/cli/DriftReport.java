package io.graybridge.bridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graybridge.bridge.cli.Reconciliation.Masker;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.TableComparison;
import io.graybridge.reconcile.live.LiveComparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The drift report of one run, in the three formats of {@code graybridge drift}. */
final class DriftReport {
    enum Format { table, json, markdown }

    /**
     * One table's outcome: a comparison (with its re-check on a live system, when there was one), or why it
     * could not be checked.
     */
    record Entry(TableMapping mapping, Masker masker, TableComparison result, String error, LiveComparison live) {
        Entry(TableMapping mapping, Masker masker, TableComparison result, String error) {
            this(mapping, masker, result, error, null);
        }

        static Entry of(TableMapping mapping, Masker masker, LiveComparison live) {
            String undecided = live.undecided() ? String.format(Locale.ROOT,
                    "%,d difference(s) remain, but not every lane caught up: %s", differing(live.result()),
                    live.catchUp().description()) : null;
            return new Entry(mapping, masker, live.result(), undecided, live);
        }

        String title() {
            return mapping.v1Table() + " -> " + mapping.v2Table();
        }

        /** Differences that count: none when the table could not be checked. */
        boolean drifting() {
            return error == null && !result.clean();
        }
    }

    private static long differing(TableComparison r) {
        return r.missingOnV2() + r.extraOnV2() + r.mismatched();
    }

    private final List<Entry> entries;

    DriftReport(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** 0 no drift, 1 drift found, 2 a table could not be checked. */
    int exitCode() {
        if (entries.stream().anyMatch(e -> e.error() != null)) {
            return 2;
        }
        return entries.stream().anyMatch(Entry::drifting) ? 1 : 0;
    }

    /** {@code clean}, {@code drift} or {@code could-not-check}. */
    String verdictId() {
        int code = exitCode();
        return code == 0 ? "clean" : code == 1 ? "drift" : "could-not-check";
    }

    /** One line: CLEAN, DRIFT or COULD NOT CHECK, with the totals. */
    String verdict() {
        List<Entry> failed = entries.stream().filter(e -> e.error() != null).toList();
        List<TableComparison> done = entries.stream().filter(e -> e.error() == null).map(Entry::result).toList();
        long rows = done.stream().mapToLong(TableComparison::compared).sum();
        long drifting = done.stream().filter(r -> !r.clean()).count();
        String totals = String.format(Locale.ROOT, "%,d missing on v2, %,d extra on v2, %,d mismatched",
                done.stream().mapToLong(TableComparison::missingOnV2).sum(),
                done.stream().mapToLong(TableComparison::extraOnV2).sum(),
                done.stream().mapToLong(TableComparison::mismatched).sum());
        if (!failed.isEmpty()) {
            return "COULD NOT CHECK: " + failed.stream().map(e -> e.title() + ": " + e.error()).reduce((a, b) -> a + "; " + b).get()
                    + (drifting > 0 ? " (and drift in " + drifting + " checked table(s): " + totals + ")" : "");
        }
        if (drifting == 0) {
            return String.format(Locale.ROOT, "CLEAN: %d table(s), %,d keys compared, both sides agree through the mapping",
                    done.size(), rows);
        }
        return String.format(Locale.ROOT, "DRIFT: %d of %d table(s) differ: %s", drifting, done.size(), totals);
    }

    String render(Format format) {
        return switch (format) {
            case table -> table();
            case json -> json();
            case markdown -> markdown();
        };
    }

    private static final String[] HEADER = {"table", "v1 rows", "v2 rows", "compared", "matched", "missing on v2",
        "extra on v2", "mismatched", "re-checked", "path", "duration", "rows/s"};
    private static final int PATH_COLUMN = 9;

    private static String[] cells(Entry e) {
        TableComparison r = e.result();
        if (r == null) {
            return new String[] {e.title(), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"};
        }
        return new String[] {e.title(), n(r.v1Rows()), n(r.v2Rows()), n(r.compared()), n(r.matched()), n(r.missingOnV2()),
            n(r.extraOnV2()), n(r.mismatched()), e.live() == null ? "0" : n(e.live().rechecked()), r.path().id(),
            String.format(Locale.ROOT, "%.2f s", r.took().toNanos() / 1e9), n((long) r.rowsPerSecond())};
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        entries.forEach(e -> rows.add(cells(e)));
        int[] width = new int[HEADER.length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 || i == PATH_COLUMN ? pad(r[i], width[i], false) : pad(r[i], width[i], true);
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
        }
        for (Entry e : entries) {
            details(e, sb, "");
        }
        return sb.append('\n').append(verdict()).append('\n').toString();
    }

    /** What the re-check after the lanes caught up did, in one sentence; empty when nothing was re-checked. */
    static String recheck(Entry e) {
        LiveComparison live = e.live();
        if (live == null || live.differingAtFirstRead() == 0) {
            return "";
        }
        if (live.rechecked() == 0) {
            return live.note();
        }
        long remain = differing(live.result());
        return String.format(Locale.ROOT, "%,d key(s) differed in the first read; re-checked %d time(s) after waiting for"
                + " the lanes: %,d agreed (changes in flight), %,d still differ. Lanes: %s", live.differingAtFirstRead(),
                live.rounds(), live.rechecked() - remain, remain, live.catchUp().description());
    }

    private static void details(Entry e, StringBuilder sb, String bullet) {
        String recheck = recheck(e);
        if (!recheck.isEmpty()) {
            sb.append('\n').append(e.title()).append(": ").append(recheck).append('\n');
        }
        if (e.error() != null) {
            sb.append('\n').append(e.title()).append(": could not check: ").append(e.error()).append('\n');
            if (e.result() == null) {
                return;
            }
        }
        TableComparison r = e.result();
        if (!r.pathNote().isEmpty()) {
            sb.append('\n').append(e.title()).append(": slow path: ").append(r.pathNote()).append('\n');
        }
        if (r.clean()) {
            return;
        }
        sb.append('\n').append(e.title()).append(": ");
        if (!r.mismatchedColumns().isEmpty()) {
            sb.append("mismatched columns: ");
            new java.util.TreeMap<>(r.mismatchedColumns()).forEach((c, k) -> sb.append(c).append(' ').append(n(k)).append(", "));
            sb.setLength(sb.length() - 2);
            sb.append("; ");
        }
        sb.append("first ").append(r.differences().size()).append(" difference(s):\n");
        for (Difference d : r.differences()) {
            sb.append(bullet.isEmpty() ? "  " : bullet).append(sample(e.masker(), d)).append('\n');
        }
    }

    static String sample(Masker m, Difference d) {
        String key = m.row(Side.V2, d.key());
        return switch (d.kind()) {
            case MISSING_ON_V2 -> "missing on v2  " + key;
            case EXTRA_ON_V2 -> "extra on v2    " + key;
            case MISMATCHED -> "mismatched     " + key + "  " + String.join("; ", d.columns().stream()
                    .map(c -> c + ": v1->v2 " + m.render(Side.V2, c, d.expected().get(c)) + " | v2 "
                            + m.render(Side.V2, c, d.v2Row().get(c)))
                    .toList());
        };
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - s.length()));
        return right ? spaces + s : s + spaces;
    }

    private String markdown() {
        StringBuilder sb = new StringBuilder("## GrayBridge drift report\n\n**").append(verdict()).append("**\n\n");
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (int i = 0; i < HEADER.length; i++) {
            sb.append(i == 0 || i == PATH_COLUMN ? " --- |" : " ---: |");
        }
        sb.append('\n');
        for (Entry e : entries) {
            sb.append("| ").append(String.join(" | ", cells(e)).replace("->", "→")).append(" |\n");
        }
        for (Entry e : entries) {
            String recheck = recheck(e);
            if (e.error() == null && e.result().clean() && e.result().pathNote().isEmpty() && recheck.isEmpty()) {
                continue;
            }
            sb.append("\n### ").append(e.title().replace("->", "→")).append("\n\n");
            if (!recheck.isEmpty()) {
                sb.append("Re-check: ").append(recheck).append("\n\n");
            }
            if (e.error() != null) {
                sb.append("Could not check: ").append(e.error()).append('\n');
                if (e.result() == null) {
                    continue;
                }
                sb.append('\n');
            }
            if (!e.result().pathNote().isEmpty()) {
                sb.append("Slow path: ").append(e.result().pathNote()).append("\n\n");
            }
            if (e.result().clean()) {
                continue;
            }
            sb.append("| difference | key | column | v1 → v2 | v2 |\n| --- | --- | --- | --- | --- |\n");
            for (Difference d : e.result().differences()) {
                String key = "`" + e.masker().row(Side.V2, d.key()) + "`";
                String kind = d.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                if (d.kind() != Difference.Kind.MISMATCHED) {
                    sb.append("| ").append(kind).append(" | ").append(key).append(" | | | |\n");
                }
                for (String c : d.columns()) {
                    sb.append("| ").append(kind).append(" | ").append(key).append(" | ").append(c).append(" | `")
                            .append(e.masker().render(Side.V2, c, d.expected().get(c))).append("` | `")
                            .append(e.masker().render(Side.V2, c, d.v2Row().get(c))).append("` |\n");
                }
            }
        }
        return sb.toString();
    }

    private String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("verdict", verdictId());
        root.put("summary", verdict());
        List<Object> tables = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("mapping", e.mapping().name());
            t.put("v1Table", e.mapping().v1Table());
            t.put("v2Table", e.mapping().v2Table());
            if (e.error() != null) {
                t.put("status", "could-not-check");
                t.put("error", e.error());
                if (e.result() == null) {
                    tables.add(t);
                    continue;
                }
            }
            TableComparison r = e.result();
            if (e.error() == null) {
                t.put("status", r.clean() ? "clean" : "drift");
            }
            t.put("v1Rows", r.v1Rows());
            t.put("v2Rows", r.v2Rows());
            t.put("compared", r.compared());
            t.put("matched", r.matched());
            t.put("missingOnV2", r.missingOnV2());
            t.put("extraOnV2", r.extraOnV2());
            t.put("mismatched", r.mismatched());
            t.put("mismatchedColumns", new java.util.TreeMap<>(r.mismatchedColumns()));
            t.put("path", r.path().id());
            if (!r.pathNote().isEmpty()) {
                t.put("pathNote", r.pathNote());
            }
            if (e.live() != null && e.live().differingAtFirstRead() > 0) {
                Map<String, Object> re = new LinkedHashMap<>();
                re.put("differingAtFirstRead", e.live().differingAtFirstRead());
                re.put("rechecked", e.live().rechecked());
                re.put("rounds", e.live().rounds());
                re.put("lanes", e.live().catchUp() == null ? null : e.live().catchUp().description());
                re.put("lanesCaughtUp", e.live().catchUp() == null ? null : e.live().catchUp().caughtUp());
                if (!e.live().note().isEmpty()) {
                    re.put("note", e.live().note());
                }
                t.put("recheck", re);
            }
            t.put("durationMs", r.took().toMillis());
            t.put("rowsPerSecond", Math.round(r.rowsPerSecond()));
            List<Object> samples = new ArrayList<>();
            for (Difference d : r.differences()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("kind", d.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                Map<String, Object> key = new LinkedHashMap<>();
                d.key().asMap().forEach((c, v) -> key.put(c, e.masker().plain(Side.V2, c, v)));
                s.put("key", key);
                if (d.kind() == Difference.Kind.MISMATCHED) {
                    List<Object> cols = new ArrayList<>();
                    for (String c : d.columns()) {
                        Map<String, Object> col = new LinkedHashMap<>();
                        col.put("column", c);
                        col.put("v1ToV2", e.masker().plain(Side.V2, c, d.expected().get(c)));
                        col.put("v2", e.masker().plain(Side.V2, c, d.v2Row().get(c)));
                        cols.add(col);
                    }
                    s.put("columns", cols);
                }
                samples.add(s);
            }
            t.put("samples", samples);
            tables.add(t);
        }
        root.put("tables", tables);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
