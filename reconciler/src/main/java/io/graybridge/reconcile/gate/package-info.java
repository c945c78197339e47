/**
 * The promote/rollback gate as a pure function ({@link io.graybridge.reconcile.gate.Gate#evaluate}): what the
 * bridge metadata says (drift result, lanes, conflicts, dead letters, verification findings) against the
 * configured thresholds, giving a verdict with every reason.
 */
package io.graybridge.reconcile.gate;
