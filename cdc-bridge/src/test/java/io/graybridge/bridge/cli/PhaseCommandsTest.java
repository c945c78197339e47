package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PhaseCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GrayBridgeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldRefuseForceWithoutAReasonBeforeTouchingAnything() {
        assertThat(run("promote", "-c", "does-not-exist.yaml", "--force")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: --force needs --reason TEXT: say why the promote gate is overridden"
                + " (it is recorded in the phase journal and the audit trail); nothing was changed\n");
    }

    @Test
    void shouldExplainEachCommandWithinEightyColumns() {
        for (String command : new String[] {"promote", "rollback", "finalize"}) {
            assertThat(run(command, "--help")).isZero();
        }
        assertThat(out.toString()).contains("--force", "--reason", "--drop-bridge-objects", "Exit code 0 moved");
        assertThat(out.toString().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("promote", "rollback", "finalize");
    }
}
