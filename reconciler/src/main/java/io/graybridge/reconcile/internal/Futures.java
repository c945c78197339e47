package io.graybridge.reconcile.internal;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a background read: its SQL or runtime failure comes back as it was thrown. */
final class Futures {
    private Futures() {}

    /**
     * The result of {@code future}; keeps the interrupt flag and names {@code what} was interrupted.
     *
     * @throws SQLException the background read's own failure
     */
    static <T> T await(Future<T> future, String what) throws SQLException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
