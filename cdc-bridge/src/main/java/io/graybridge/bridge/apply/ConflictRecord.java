package io.graybridge.bridge.apply;

/** A conflict as decided, with the change that met it. */
record ConflictRecord(RowDecision decision, TargetChange change) {}
