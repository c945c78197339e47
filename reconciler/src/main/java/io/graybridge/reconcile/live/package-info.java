/**
 * Comparison on live systems: re-checking differing keys once the lanes have caught up
 * ({@link io.graybridge.reconcile.live.LiveCheck}) and continuous verification of applied keys
 * ({@link io.graybridge.reconcile.live.ContinuousVerifier}). The lanes' positions come in through
 * {@link io.graybridge.reconcile.live.CatchUp}, implemented by the bridge.
 */
package io.graybridge.reconcile.live;
