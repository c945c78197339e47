/**
 * Internals of the reconciler: catalog reads, keyset readers, the merge join, checksum pushdown. Not API:
 * anything here may change without notice; use {@link io.graybridge.reconcile.TableComparator} and
 * {@link io.graybridge.reconcile.Repairer}.
 */
package io.graybridge.reconcile.internal;
