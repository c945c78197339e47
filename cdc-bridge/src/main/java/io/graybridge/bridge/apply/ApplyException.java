package io.graybridge.bridge.apply;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;

/** A batch that could not be applied to the target; the message names the table and keys. */
public class ApplyException extends GrayBridgeException {
    private static final long serialVersionUID = 1L;

    public ApplyException(String message, Throwable cause) {
        super(ErrorCode.APPLY_FAILED, message, cause);
    }
}
