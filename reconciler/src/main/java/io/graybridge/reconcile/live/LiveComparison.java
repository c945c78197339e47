package io.graybridge.reconcile.live;

import io.graybridge.reconcile.TableComparison;

/**
 * A comparison on a live system: the first read, then the keys that differed read again once the lanes
 * caught up.
 *
 * @param result the counts after re-checking: keys that agreed on a re-check count as matched; the
 *     differences are the ones still there on the last re-check
 * @param differingAtFirstRead keys that differed in the first read
 * @param rechecked keys read again (0 when the first read was clean, or when more keys differed than the
 *     re-check takes)
 * @param rounds how many times they were read again
 * @param catchUp what the lanes did before the last re-check ({@code null} when nothing was re-checked)
 * @param note why keys were not re-checked, or empty
 */
public record LiveComparison(
        TableComparison result, long differingAtFirstRead, long rechecked, int rounds, CatchUp.Status catchUp, String note) {

    /**
     * Differences remain but a lane had not caught up: they may be changes in flight, so the table could not
     * be checked (neither drift nor clean can be claimed).
     */
    public boolean undecided() {
        return !result.clean() && catchUp != null && !catchUp.caughtUp();
    }
}
