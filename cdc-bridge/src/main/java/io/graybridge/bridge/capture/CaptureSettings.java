package io.graybridge.bridge.capture;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a lane's capture makes of its source side's settings before it starts, for {@code config validate} to make
 * without starting anything: the TLS parameters of the jdbc-url of each side an enabled lane captures from
 * ({@link PostgresTls}, {@link BinlogTls}), which {@code run} would otherwise refuse only when it builds the lane.
 */
public final class CaptureSettings {
    private CaptureSettings() {}

    /**
     * Fails with {@link ErrorCode#CONFIG_INVALID} naming every side whose URL's TLS parameters cannot all reach its
     * capture, each parameter and what to use instead; does nothing when they all can.
     */
    public static void check(BridgeConfig config) {
        List<String> problems = new ArrayList<>();
        for (Direction d : Direction.values()) {
            LaneConfig lane = config.lane(d);
            if (lane == null || !lane.enabled()) {
                continue;
            }
            Side source = d.source();
            String url = config.side(source).jdbcUrl();
            try {
                switch (Dialect.forUrl(url)) {
                    case POSTGRESQL -> PostgresTls.properties(url, source.id());
                    case MARIADB -> BinlogTls.properties(url, BinlogTls.Driver.MARIADB, source.id());
                    case MYSQL -> BinlogTls.properties(url, BinlogTls.Driver.MYSQL, source.id());
                }
            } catch (GrayBridgeException e) {
                if (!problems.contains(e.getMessage())) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID,
                    (config.file() == null ? "" : config.file() + ": ") + String.join("\n", problems));
        }
    }
}
