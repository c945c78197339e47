package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.cli.GrayBridgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code graybridge demo} end to end: embedded PostgreSQL and Kafka, backfill, gray traffic on both sides, a
 * conflict, a drift report, promotion through the gate, a rollback drill, finalize, cleanup.
 */
class DemoIT {
    @Test
    void shouldTellTheWholeStoryAndFindBothSidesIdentical() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GrayBridgeCli.execute(
                new String[] {"demo", "--customers", "300", "--orders", "900", "--traffic-seconds", "2"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", text, err).isZero();
        assertThat(text)
                .contains("[1/11]", "[11/11]")
                .contains("phase backfill -> dual", "Gray traffic at 10%", "Gray traffic at 50%")
                .contains("$ graybridge drift -c bridge.yaml", "CLEAN: 4 table(s)")
                .contains("$ graybridge promote -c bridge.yaml", "gate promote: PASS", "phase: dual -> promoted")
                .contains("$ graybridge gate rollback -c bridge.yaml", "gate rollback: PASS")
                .contains("phase: promoted -> finalized", "phase finalized: both lanes stopped")
                .contains("phase.changed=3", "gate.decided=3")
                // the lane into the winning side (v1 is primary in dual) records every concurrent pair; the lane into
                // v2 records only those its knowledge shows when it applies (ARCHITECTURE.md, "Deletes")
                .contains("conflict recorded: lane v2-to-v1")
                .contains("v1 kept on both sides")
                .contains("backfilled 1,202 rows") // and 2 suppliers
                .contains("suppliers  -> supplier_addresses") // the split table, compared part by part
                .contains("v2 shop_v2.suppliers + supplier_addresses")
                .contains("identical through the mapping")
                .contains("full_name")
                .contains("audit trail: ", "conflict.resolved=", "audit event: ")
                .contains("RESULT: both sides hold the same rows")
                .contains("Cleaned up");
        assertThat(text).doesNotContain("RESULT: the sides differ");
        assertThat(text.lines().filter(l -> l.contains("audit event: ")))
                .as("audit events show emails hashed").isNotEmpty().noneMatch(l -> l.contains("@example.com"));
    }
}
