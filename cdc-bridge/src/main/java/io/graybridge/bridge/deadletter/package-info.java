/**
 * Dead letters: source changes a lane could not map, kept with the error, the source position and the
 * source row in the target's {@code dead_letter} table, and the policy that decides what the lane does
 * next ({@link io.graybridge.bridge.deadletter.DeadLetterPolicy}: pause the table, or skip the change).
 * {@code graybridge deadletters} lists them and re-applies them after the mapping is fixed.
 */
package io.graybridge.bridge.deadletter;
