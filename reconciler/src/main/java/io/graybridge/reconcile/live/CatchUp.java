package io.graybridge.reconcile.live;

import java.util.Map;

/**
 * Tells a live comparison when the lanes have caught up: every change committed on a lane's source before
 * a {@link Mark} has been applied on its target. Implemented by the bridge from its stored positions
 * (the reconciler knows no lanes).
 */
public interface CatchUp {
    /** No lanes: nothing is ever in flight. */
    CatchUp NONE = new CatchUp() {
        @Override
        public Mark mark() {
            return new Mark(Map.of());
        }

        @Override
        public Status await(Mark mark) {
            return new Status(true, false, "no lanes");
        }
    };

    /** Where each lane's source stands now (lane name to position); taken before the first read. */
    Mark mark();

    /**
     * Waits, for a bounded time, until every lane applied everything its source committed before {@code mark}.
     *
     * @return whether they did, whether any lane is streaming (so changes can be in flight), and a description
     */
    Status await(Mark mark);

    /** Source positions by lane, comparable within a lane only. */
    record Mark(Map<String, Long> positions) {
        public Mark {
            positions = Map.copyOf(positions);
        }
    }

    /**
     * @param caughtUp every lane applied everything committed before the mark (or has nothing to apply)
     * @param live some lane is streaming, so differences can be changes in flight
     * @param description one line per lane, for reports: caught up, behind (by how much), stopped, disabled
     */
    record Status(boolean caughtUp, boolean live, String description) {}
}
