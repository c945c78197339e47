package io.graybridge.mapping;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;

/** A row that cannot be translated: names the table, the column and the value, and what to do. */
public class MappingException extends GrayBridgeException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(ErrorCode.MAPPING_FAILED, message);
    }

    public MappingException(String message, Throwable cause) {
        super(ErrorCode.MAPPING_FAILED, message, cause);
    }
}
