package io.graybridge.bridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DeadLetterRouterTest {
    /** Maps a change to its id, and fails for ids below zero. */
    private static final Function<SourceChange, List<Long>> MAP = change -> {
        long id = (Long) change.after().get("id");
        if (id < 0) {
            throw new MappingException("status 'X' of " + change.table() + " {id=" + id + "} is not in the value map");
        }
        return List.of(id);
    };

    private static SourceChange insert(String table, long id) {
        return new SourceChange(Side.V1, table, SourceChange.Op.INSERT, null, Row.of(Map.of("id", id)), "0/" + id, "9",
                Instant.EPOCH);
    }

    private static DeadLetterRouter<Long> router(DeadLetterPolicy policy) {
        return new DeadLetterRouter<>("v1-to-v2", policy, c -> "{id=" + c.after().get("id") + "}");
    }

    @Test
    void shouldPauseTheFailingTableAndHoldItsLaterChangesInOrderWhileOtherTablesFlow() {
        DeadLetterRouter<Long> router = router(DeadLetterPolicy.PAUSE);
        assertThat(router.route(insert("customers", 1), MAP).mapped()).containsExactly(1L);

        DeadLetterRouter.Routed<Long> failed = router.route(insert("customers", -2), MAP);
        assertThat(failed.isDeadLetter()).isTrue();
        assertThat(failed.letter().reason()).isEqualTo(DeadLetter.Reason.FAILED);
        assertThat(failed.letter().policy()).isEqualTo(DeadLetterPolicy.Action.PAUSE);
        assertThat(failed.letter().error()).contains("not in the value map");
        assertThat(failed.letter().key()).isEqualTo("{id=-2}");
        assertThat(failed.letter().change().position()).isEqualTo("0/-2");

        DeadLetterRouter.Routed<Long> held = router.route(insert("customers", 3), MAP);
        assertThat(held.isDeadLetter()).as("a later change of the paused table, even a mappable one").isTrue();
        assertThat(held.letter().reason()).isEqualTo(DeadLetter.Reason.HELD);
        assertThat(held.letter().error()).as("names what paused the table").contains("not in the value map");

        assertThat(router.route(insert("orders", 4), MAP).mapped()).as("other tables keep flowing").containsExactly(4L);
        assertThat(router.paused()).containsOnlyKeys("customers");
    }

    @Test
    void shouldRecordAndGoOnUnderSkip() {
        DeadLetterRouter<Long> router = router(new DeadLetterPolicy(DeadLetterPolicy.Action.SKIP, Map.of()));
        DeadLetterRouter.Routed<Long> failed = router.route(insert("customers", -1), MAP);
        assertThat(failed.letter().reason()).isEqualTo(DeadLetter.Reason.FAILED);
        assertThat(failed.letter().policy()).isEqualTo(DeadLetterPolicy.Action.SKIP);
        assertThat(router.route(insert("customers", 2), MAP).mapped()).containsExactly(2L);
        assertThat(router.paused()).isEmpty();
    }

    @Test
    void shouldFollowATablesOwnPolicyOverTheLanesDefault() {
        DeadLetterPolicy policy = new DeadLetterPolicy(DeadLetterPolicy.Action.PAUSE,
                Map.of("audit_log", DeadLetterPolicy.Action.SKIP));
        assertThat(policy.forTable("audit_log")).isEqualTo(DeadLetterPolicy.Action.SKIP);
        assertThat(policy.forTable("customers")).isEqualTo(DeadLetterPolicy.Action.PAUSE);
        DeadLetterRouter<Long> router = router(policy);
        router.route(insert("audit_log", -1), MAP);
        router.route(insert("customers", -1), MAP);
        assertThat(router.paused()).containsOnlyKeys("customers");
        assertThat(router.route(insert("audit_log", 5), MAP).mapped()).containsExactly(5L);
    }

    @Test
    void shouldHoldWhatTheMetadataSaysIsPausedAndReleaseItOnceRetried() {
        DeadLetterRouter<Long> router = router(DeadLetterPolicy.PAUSE);
        router.paused(Map.of("customers", "an earlier error")); // as read at start
        assertThat(router.route(insert("customers", 1), MAP).letter().reason()).isEqualTo(DeadLetter.Reason.HELD);
        router.paused(Map.of()); // `deadletters retry` applied them all
        assertThat(router.route(insert("customers", 2), MAP).mapped()).containsExactly(2L);
    }

    @Test
    void shouldLetOtherFailuresThrough() {
        DeadLetterRouter<Long> router = router(DeadLetterPolicy.PAUSE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.route(insert("customers", 1), c -> {
            throw new IllegalStateException("a bug, not a mapping failure");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(router.paused()).isEmpty();
    }
}
