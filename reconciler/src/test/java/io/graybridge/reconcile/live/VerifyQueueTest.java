package io.graybridge.reconcile.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyQueueTest {
    private static final long DELAY = 1_000;

    private static VerifyQueue.Key key(int id) {
        return new VerifyQueue.Key("orders", List.of(id));
    }

    @Test
    void shouldHandOutKeysOnlyOnceTheirDelayPassedOldestFirst() {
        VerifyQueue q = new VerifyQueue(DELAY, 10);
        q.applied(key(1), 0);
        q.applied(key(2), 100);
        assertThat(q.takeDue(999, 10)).isEmpty();
        assertThat(q.takeDue(1_000, 10)).extracting(VerifyQueue.Due::key).containsExactly(key(1));
        assertThat(q.takeDue(5_000, 10)).extracting(VerifyQueue.Due::key).containsExactly(key(2));
    }

    @Test
    void shouldCoalesceAKeyAppliedAgainIntoOneCheckAfterItsNewestChange() {
        VerifyQueue q = new VerifyQueue(DELAY, 10);
        q.applied(key(1), 0);
        q.applied(key(2), 10);
        q.applied(key(1), 500);
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.takeDue(1_010, 10)).extracting(VerifyQueue.Due::key).containsExactly(key(2));
        assertThat(q.takeDue(1_500, 10)).extracting(VerifyQueue.Due::key).containsExactly(key(1));
    }

    @Test
    void shouldCountOverflowHonestlyAndNeverDropAKeyAlreadyWaiting() {
        VerifyQueue q = new VerifyQueue(DELAY, 2);
        assertThat(q.applied(key(1), 0)).isTrue();
        assertThat(q.applied(key(2), 0)).isTrue();
        assertThat(q.applied(key(3), 0)).isFalse();
        assertThat(q.applied(key(1), 10)).as("a waiting key is coalesced, not overflowed").isTrue();
        assertThat(q.overflowed()).isEqualTo(1);
        assertThat(q.size()).isEqualTo(2);
    }

    @Test
    void shouldGiveAMismatchOneMoreCheckUnlessTheKeyWasAppliedAgain() {
        VerifyQueue q = new VerifyQueue(DELAY, 10);
        q.applied(key(1), 0);
        VerifyQueue.Due first = q.takeDue(1_000, 10).get(0);
        assertThat(first.attempt()).isZero();
        q.mismatched(first.key(), 1_000);
        VerifyQueue.Due second = q.takeDue(2_000, 10).get(0);
        assertThat(second.attempt()).as("the second look decides").isEqualTo(1);

        q.applied(key(2), 0);
        VerifyQueue.Due taken = q.takeDue(1_000, 10).get(0);
        q.applied(key(2), 1_200); // a newer change arrived while the first check ran
        assertThat(q.waiting(taken.key())).as("the older outcome must not count").isTrue();
        q.mismatched(taken.key(), 1_300);
        VerifyQueue.Due newer = q.takeDue(2_200, 10).get(0);
        assertThat(newer.attempt()).as("the newer change starts a clean slate").isZero();
    }
}
