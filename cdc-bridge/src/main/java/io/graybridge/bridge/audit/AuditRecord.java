package io.graybridge.bridge.audit;

/**
 * What goes into the audit outbox: an event rendered already ({@link AuditEvent}), or the facts of an applied
 * change ({@link ChangeFacts}) that the relay renders when it publishes.
 */
public sealed interface AuditRecord permits AuditEvent, ChangeFacts {}
