package io.graybridge.error;

import java.util.Objects;

/** The one unchecked base of every GrayBridge failure; its {@link ErrorCode} decides the CLI exit code. */
public class GrayBridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public GrayBridgeException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public GrayBridgeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
