package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import java.util.function.Supplier;

/**
 * The release phase as the lanes' conflict policy reads it: from the bridge metadata on v1 ({@code
 * bridge_state}), set every second by the running bridge's phase follower ({@link #update}) so both lanes
 * switch together, and re-read by itself at most every 5 s otherwise. A bridge stores its first phase when it
 * opens (lifecycle.Lifecycle); without one the answer is {@code dual}: both lanes run, v1 is primary.
 */
public final class PhaseStore implements Supplier<String> {
    /** The phase of a bridge that has none stored. */
    public static final String DEFAULT_PHASE = "dual";
    private static final long REFRESH_MILLIS = 5_000;

    private final SideDatabase db;
    private final String table;
    private final String bridge;
    private volatile String phase;
    private volatile long readAt;

    public PhaseStore(SideDatabase v1, String metadataSchema, String bridge) {
        this.db = v1;
        this.table = v1.dialect().qualified(metadataSchema, "bridge_state");
        this.bridge = bridge;
    }

    /**
     * Sets the phase just read by the bridge's phase follower, so every lane sharing this store switches at
     * the same moment (the follower reads every second; the store's own refresh is the fallback).
     */
    public void update(String phase) {
        this.phase = phase;
        this.readAt = System.currentTimeMillis();
    }

    @Override
    public String get() {
        long now = System.currentTimeMillis();
        if (phase == null || now - readAt > REFRESH_MILLIS) {
            phase = !LaneStatus.exists(db, table) ? DEFAULT_PHASE : db.withHandle(h -> h.createQuery("SELECT phase FROM " + table + " WHERE bridge = :b")
                    .bind("b", bridge)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(DEFAULT_PHASE));
            readAt = now;
        }
        return phase;
    }
}
