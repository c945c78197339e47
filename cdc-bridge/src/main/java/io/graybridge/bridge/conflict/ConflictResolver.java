package io.graybridge.bridge.conflict;

import io.graybridge.mapping.Side;

/**
 * Decides which version of a row wins a {@link Conflict}: a conflict policy. Built-in policies and
 * custom ones are found with {@link java.util.ServiceLoader} by {@link #name()}; config names the one
 * to use ({@code conflicts.policy}).
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li><b>symmetric</b>: both lanes see the same competing changes from opposite sides (on v2 the v1
 *       change is incoming and the v2 version current; on v1 the reverse). The answer must name the same
 *       winning side in both cases, or the sides never converge. Decide on facts both lanes see
 *       alike: the sides, commit times, the phase, the values; never on which lane asks first or on
 *       wall-clock time;</li>
 *   <li>deterministic, fast, thread-safe and free of side effects (it runs inside the target
 *       transaction, which holds row locks);</li>
 *   <li>returns a side, never {@code null}.</li>
 * </ul>
 */
public interface ConflictResolver {
    /** The name config uses for this policy, e.g. {@code v1-wins}. */
    String name();

    /** The side whose version of the disputed columns (or row) survives on both sides. */
    Side winner(Conflict conflict);

    /**
     * The side that wins every conflict in {@code phase} whatever the competing versions are ({@code v1-wins},
     * {@code v2-wins}, {@code primary-wins}), or empty for a policy that compares them. Two-way lanes decide with
     * the delete-convergence rules (a barrier on the lane into the winning side, ARCHITECTURE.md "Conflicts") only
     * under a policy that names one; the others keep the before-image rules.
     */
    default java.util.Optional<Side> fixedWinner(String phase) {
        return java.util.Optional.empty();
    }

    /** Whether the policy needs {@link Conflict#currentCommit()}; reading it costs a catalog lookup per row. */
    default boolean needsCommitTimes() {
        return false;
    }
}
