package io.graybridge.error;

/**
 * Every kind of failure GrayBridge reports, with the exit code the CLI ends with.
 *
 * <p>Exit codes: 0 success, 1 a check found a problem (drift, gate failed), 2 could not check or bad
 * input (config, mapping), 3 runtime failure (database, capture), 4 internal error.
 */
public enum ErrorCode {
    CONFIG_INVALID(2),
    MAPPING_INVALID(2),
    MAPPING_FAILED(3),
    DATABASE_UNAVAILABLE(3),
    SCHEMA_MISMATCH(2),
    CAPTURE_FAILED(3),
    APPLY_FAILED(3),
    INTERNAL(4);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
