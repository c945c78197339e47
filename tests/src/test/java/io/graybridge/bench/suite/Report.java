package io.graybridge.bench.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's results: the machine, then one table per section with notes, then the goals with the
 * figures they were judged on. Printed as text, written as Markdown and JSON.
 */
final class Report {
    private final Map<String, Object> machine;
    private final String command;
    private final List<Table> tables = new ArrayList<>();
    private final List<Goal> goals = new ArrayList<>();

    Report(Map<String, Object> machine, String command) {
        this.machine = machine;
        this.command = command;
    }

    /** One section's table. Cells are strings, numbers or null (shown as "n/a"). */
    record Table(String id, String title, List<String> columns, List<List<Object>> rows, List<String> notes) {
        Table {
            columns = List.copyOf(columns);
            rows = new ArrayList<>(rows);
            notes = new ArrayList<>(notes);
        }

        void add(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException(title + ": " + cells.length + " cells for " + columns.size() + " columns");
            }
            rows.add(java.util.Arrays.asList(cells));
        }

        void note(String text) {
            notes.add(text);
        }
    }

    /** A goal of issue 9 and whether this run met it. */
    record Goal(String goal, String measured, Boolean met) {}

    Table table(String id, String title, String... columns) {
        Table t = new Table(id, title, List.of(columns), List.of(), List.of());
        tables.add(t);
        return t;
    }

    void goal(String goal, String measured, Boolean met) {
        goals.add(new Goal(goal, measured, met));
    }

    List<Table> tables() {
        return tables;
    }

    List<Goal> goals() {
        return goals;
    }

    static String cell(Object v) {
        if (v == null) {
            return "n/a";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "n/a";
            }
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return v.toString();
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("GrayBridge benchmark suite\n");
        machine.forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-10s %s%n", k, v)));
        for (Table t : tables) {
            out.append('\n').append("== ").append(t.title()).append(" ==\n");
            int[] width = new int[t.columns().size()];
            for (int i = 0; i < width.length; i++) {
                width[i] = t.columns().get(i).length();
                for (List<Object> r : t.rows()) {
                    width[i] = Math.max(width[i], cell(r.get(i)).length());
                }
            }
            appendRow(out, t.columns(), width);
            for (List<Object> r : t.rows()) {
                appendRow(out, r.stream().map(Report::cell).toList(), width);
            }
            t.notes().forEach(n -> out.append("  - ").append(n).append('\n'));
        }
        if (!goals.isEmpty()) {
            out.append("\n== Goals (issue 9) ==\n");
            for (Goal g : goals) {
                out.append(String.format(Locale.ROOT, "  [%s] %s: %s%n", verdict(g.met()), g.goal(), g.measured()));
            }
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] width) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            out.append(i == 0 ? String.format("%-" + width[i] + "s", c) : String.format("  %" + width[i] + "s", c));
        }
        out.append('\n');
    }

    private static String verdict(Boolean met) {
        return met == null ? "n/a " : met ? "MET " : "MISS";
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# GrayBridge benchmark results\n\n");
        out.append("Command: `").append(command).append("`\n\n");
        out.append("| machine | |\n| --- | --- |\n");
        machine.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        for (Table t : tables) {
            out.append("\n## ").append(t.title()).append("\n\n| ");
            out.append(String.join(" | ", t.columns())).append(" |\n|");
            for (int i = 0; i < t.columns().size(); i++) {
                out.append(i == 0 ? " --- |" : " ---: |");
            }
            out.append('\n');
            for (List<Object> r : t.rows()) {
                out.append("| ").append(String.join(" | ", r.stream().map(Report::cell).toList())).append(" |\n");
            }
            if (!t.notes().isEmpty()) {
                out.append('\n');
                t.notes().forEach(n -> out.append("- ").append(n).append('\n'));
            }
        }
        if (!goals.isEmpty()) {
            out.append("\n## Goals (issue 9)\n\n| goal | this run | met |\n| --- | --- | --- |\n");
            for (Goal g : goals) {
                out.append("| ").append(g.goal()).append(" | ").append(g.measured()).append(" | ")
                        .append(verdict(g.met()).trim().toLowerCase(Locale.ROOT)).append(" |\n");
            }
        }
        return out.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", command);
        root.put("machine", machine);
        List<Map<String, Object>> sections = new ArrayList<>();
        for (Table t : tables) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", t.id());
            s.put("title", t.title());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (List<Object> r : t.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < t.columns().size(); i++) {
                    Object v = r.get(i);
                    row.put(t.columns().get(i), v instanceof Double d && d.isNaN() ? null : v);
                }
                rows.add(row);
            }
            s.put("rows", rows);
            s.put("notes", t.notes());
            sections.add(s);
        }
        root.put("sections", sections);
        List<Map<String, Object>> g = new ArrayList<>();
        for (Goal goal : goals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("goal", goal.goal());
            m.put("measured", goal.measured());
            m.put("met", goal.met());
            g.add(m);
        }
        root.put("goals", g);
        return root;
    }

    /** Writes results.md, results.json and results.txt into {@code dir}. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.txt"), text());
            Files.writeString(dir.resolve("results.md"), markdown());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(),
                    json());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark results to " + dir, e);
        }
    }
}
