/**
 * {@code graybridge mappings check}: validates mappings against the live schemas of both sides, then
 * proves their round trips on generated rows ({@link io.graybridge.bridge.check.ValueGenerator}) and on
 * rows sampled from each side ({@link io.graybridge.bridge.check.RowSampler}); read-only on both sides.
 */
package io.graybridge.bridge.check;
