package io.graybridge.bridge.capture;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link BinlogTls} and {@link PostgresTls} share: a side URL's query parameters, and refusing the TLS parameters
 * capture cannot take.
 */
final class UrlParameters {
    private UrlParameters() {}

    /** The query parameters of a JDBC URL in order, names as written. */
    static Map<String, String> of(String jdbcUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String kv : jdbcUrl.substring(q + 1).split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return out;
    }

    /**
     * Fails with {@link ErrorCode#CONFIG_INVALID} when {@code problems} is not empty, naming the side, its URL without
     * parameters (so no secret) and each problem.
     *
     * @param capture names the capture the settings cannot reach ({@code binlog}, {@code PostgreSQL})
     */
    static void refuseTls(List<String> problems, String side, String jdbcUrl, String capture) {
        if (!problems.isEmpty()) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "side " + side + ": the TLS settings of its jdbc-url ("
                    + jdbcUrl.replaceAll("[?;].*$", "") + ") cannot all reach the " + capture + " capture:\n  - "
                    + String.join("\n  - ", problems));
        }
    }
}
