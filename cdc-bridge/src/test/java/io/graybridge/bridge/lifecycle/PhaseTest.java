package io.graybridge.bridge.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.lifecycle.Phase.Command;
import io.graybridge.bridge.lifecycle.Phase.Move;
import org.junit.jupiter.api.Test;

class PhaseTest {
    @Test
    void shouldPromoteOrRollBackFromDual() {
        assertThat(Phase.DUAL.move(Command.PROMOTE)).isEqualTo(new Move.Go(Phase.DUAL, Phase.PROMOTED));
        assertThat(Phase.DUAL.move(Command.ROLLBACK)).isEqualTo(new Move.Go(Phase.DUAL, Phase.ROLLED_BACK));
    }

    @Test
    void shouldRollBackAfterPromotionAndPromoteAgainAfterARollback() {
        assertThat(Phase.PROMOTED.move(Command.ROLLBACK)).isEqualTo(new Move.Go(Phase.PROMOTED, Phase.ROLLED_BACK));
        assertThat(Phase.ROLLED_BACK.move(Command.PROMOTE)).isEqualTo(new Move.Go(Phase.ROLLED_BACK, Phase.PROMOTED));
    }

    @Test
    void shouldFinalizeOnlyOnceTheReleaseDecided() {
        assertThat(Phase.PROMOTED.move(Command.FINALIZE)).isEqualTo(new Move.Go(Phase.PROMOTED, Phase.FINALIZED));
        assertThat(Phase.ROLLED_BACK.move(Command.FINALIZE)).isEqualTo(new Move.Go(Phase.ROLLED_BACK, Phase.FINALIZED));
        assertThat(Phase.DUAL.move(Command.FINALIZE)).isInstanceOfSatisfying(Move.Illegal.class, i -> assertThat(i.message())
                .isEqualTo("cannot finalize: the release is in phase 'dual'; legal next steps: graybridge promote (to"
                        + " promoted) or graybridge rollback (to rolled-back)"));
    }

    @Test
    void shouldAnswerAlreadyThereForARepeatedCommand() {
        assertThat(Phase.PROMOTED.move(Command.PROMOTE)).isEqualTo(new Move.AlreadyThere(Phase.PROMOTED));
        assertThat(Phase.ROLLED_BACK.move(Command.ROLLBACK)).isEqualTo(new Move.AlreadyThere(Phase.ROLLED_BACK));
        assertThat(Phase.FINALIZED.move(Command.FINALIZE)).isEqualTo(new Move.AlreadyThere(Phase.FINALIZED));
    }

    @Test
    void shouldRefuseEveryCommandDuringBackfillAndAfterFinalizeNamingThePhase() {
        for (Command c : Command.values()) {
            assertThat(Phase.BACKFILL.move(c)).isInstanceOfSatisfying(Move.Illegal.class, i -> assertThat(i.message())
                    .startsWith("cannot " + c + ": the release is in phase 'backfill'")
                    .contains("becomes 'dual' by itself"));
        }
        assertThat(Phase.FINALIZED.move(Command.PROMOTE)).isInstanceOfSatisfying(Move.Illegal.class,
                i -> assertThat(i.message()).contains("phase 'finalized'", "nothing follows"));
        assertThat(Phase.FINALIZED.move(Command.ROLLBACK)).isInstanceOf(Move.Illegal.class);
    }

    @Test
    void shouldNameTheLegalStepsFromEachPhase() {
        assertThat(Phase.PROMOTED.move(Command.PROMOTE)).isNotInstanceOf(Move.Illegal.class);
        assertThat(Phase.PROMOTED.nextSteps()).isEqualTo(
                "legal next steps: graybridge finalize (to finalized) or graybridge rollback (to rolled-back)");
        assertThat(Phase.ROLLED_BACK.nextSteps()).isEqualTo(
                "legal next steps: graybridge finalize (to finalized) or graybridge promote (to promoted)");
    }

    @Test
    void shouldFinalizeThroughTheGateOfTheMoveThatMadeThePhase() {
        assertThat(Phase.PROMOTED.gateAction(Command.FINALIZE)).isEqualTo("promote");
        assertThat(Phase.ROLLED_BACK.gateAction(Command.FINALIZE)).isEqualTo("rollback");
        assertThat(Phase.DUAL.gateAction(Command.PROMOTE)).isEqualTo("promote");
        assertThat(Phase.PROMOTED.gateAction(Command.ROLLBACK)).isEqualTo("rollback");
    }

    @Test
    void shouldRunLanesInEveryPhaseButFinalized() {
        for (Phase p : Phase.values()) {
            assertThat(p.lanesRun()).as(p.id()).isEqualTo(p != Phase.FINALIZED);
        }
    }

    @Test
    void shouldParseStoredNamesAndRejectUnknownOnes() {
        assertThat(Phase.parse("rolled-back")).isEqualTo(Phase.ROLLED_BACK);
        assertThat(Phase.of("ROLLED_BACK")).isEmpty();
        assertThatThrownBy(() -> Phase.parse("sideways")).hasMessageContaining("unknown phase 'sideways'")
                .hasMessageContaining("backfill, dual, promoted, rolled-back, finalized");
    }
}
