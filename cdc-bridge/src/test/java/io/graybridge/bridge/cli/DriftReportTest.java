package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.reconcile.ComparePath;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.TableComparison;
import io.graybridge.reconcile.live.CatchUp;
import io.graybridge.reconcile.live.LiveComparison;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftReportTest {
    private final TableMapping users = MappingFiles.identity("users");

    private DriftReport.Entry entry(Difference... differences) {
        long mismatched = List.of(differences).stream().filter(d -> d.kind() == Difference.Kind.MISMATCHED).count();
        TableComparison r = new TableComparison("users", 10, 10, 10 - differences.length, 0, 0, mismatched,
                mismatched == 0 ? Map.of() : Map.of("email", mismatched), List.of(), Duration.ofMillis(100),
                ComparePath.PUSHDOWN, "", List.of(differences));
        return new DriftReport.Entry(users, new Reconciliation.Masker(users, Set.of("users.email")), r, null);
    }

    private static Difference emailChanged() {
        Row v1 = Row.of(Map.of("id", 7L, "email", "a@example.com", "score", new BigDecimal("1.50")));
        Row v2 = Row.of(Map.of("id", 7L, "email", "b@example.com", "score", new BigDecimal("1.5")));
        return new Difference(Difference.Kind.MISMATCHED, Row.of(Map.of("id", 7L)), v1, v1, v2, List.of("email"));
    }

    @Test
    void shouldSayCleanAndExitZeroWhenNothingDiffers() {
        DriftReport report = new DriftReport(List.of(entry()));
        assertThat(report.exitCode()).isZero();
        assertThat(report.render(DriftReport.Format.table))
                .contains("users -> users", "pushdown", "CLEAN: 1 table(s), 10 keys compared");
    }

    @Test
    void shouldMaskConfiguredColumnsInEveryFormat() throws Exception {
        DriftReport report = new DriftReport(List.of(entry(emailChanged())));
        assertThat(report.exitCode()).isEqualTo(1);
        for (DriftReport.Format f : DriftReport.Format.values()) {
            assertThat(report.render(f)).as(f.name()).contains("****").doesNotContain("@example.com");
        }
        JsonNode json = new ObjectMapper().readTree(report.render(DriftReport.Format.json));
        assertThat(json.get("verdict").asText()).isEqualTo("drift");
        assertThat(json.get("tables").get(0).get("samples").get(0).get("key").get("id").asLong()).isEqualTo(7);
    }

    @Test
    void shouldExitTwoAndNameTheReasonWhenATableCouldNotBeChecked() {
        DriftReport report = new DriftReport(List.of(entry(emailChanged()),
                new DriftReport.Entry(users, new Reconciliation.Masker(users, Set.of()), null, "table x does not exist")));
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.verdict()).startsWith("COULD NOT CHECK: users -> users: table x does not exist")
                .contains("and drift in 1 checked table(s)");
        assertThat(report.render(DriftReport.Format.markdown)).contains("Could not check: table x does not exist");
    }

    @Test
    void shouldReportDifferencesThatPersistAfterTheLanesCaughtUpAsDriftWithTheRecheck() throws Exception {
        DriftReport.Entry base = entry(emailChanged());
        LiveComparison live = new LiveComparison(base.result(), 4, 4, 1,
                new CatchUp.Status(true, true, "lane v1-to-v2 caught up (applied past 0/1A within 0.3 s)"), "");
        DriftReport report = new DriftReport(List.of(DriftReport.Entry.of(users, base.masker(), live)));
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.render(DriftReport.Format.table)).contains("re-checked",
                "users -> users: 4 key(s) differed in the first read; re-checked 1 time(s) after waiting for the lanes:"
                        + " 3 agreed (changes in flight), 1 still differ. Lanes: lane v1-to-v2 caught up");
        JsonNode json = new ObjectMapper().readTree(report.render(DriftReport.Format.json));
        assertThat(json.get("tables").get(0).get("recheck").get("differingAtFirstRead").asLong()).isEqualTo(4);
        assertThat(json.get("tables").get(0).get("recheck").get("lanesCaughtUp").asBoolean()).isTrue();
    }

    @Test
    void shouldSayCouldNotCheckNeitherDriftNorCleanWhenALaneIsBehindAndDifferencesRemain() throws Exception {
        DriftReport.Entry base = entry(emailChanged());
        LiveComparison live = new LiveComparison(base.result(), 1, 1, 1,
                new CatchUp.Status(false, false, "lane v1-to-v2 is stopped and behind (...)"), "");
        DriftReport report = new DriftReport(List.of(DriftReport.Entry.of(users, base.masker(), live)));
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.verdict()).isEqualTo("COULD NOT CHECK: users -> users: 1 difference(s) remain, but not every"
                + " lane caught up: lane v1-to-v2 is stopped and behind (...)");
        JsonNode json = new ObjectMapper().readTree(report.render(DriftReport.Format.json));
        assertThat(json.get("verdict").asText()).isEqualTo("could-not-check");
        assertThat(json.get("tables").get(0).get("status").asText()).isEqualTo("could-not-check");
        assertThat(json.get("tables").get(0).get("mismatched").asLong()).as("the counts are still shown").isEqualTo(1);
        assertThat(report.render(DriftReport.Format.markdown)).contains("Could not check: 1 difference(s) remain");
    }
}
