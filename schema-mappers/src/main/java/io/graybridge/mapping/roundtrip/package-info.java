/**
 * The round-trip proof of a mapping: {@code backward(forward(r)) == r} and {@code forward(backward(r)) == r},
 * column by column, on whatever rows the caller supplies (generated from column types, sampled from a
 * live table, or produced by property-based tests).
 */
package io.graybridge.mapping.roundtrip;
