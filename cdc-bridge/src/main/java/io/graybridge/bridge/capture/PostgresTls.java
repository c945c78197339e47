package io.graybridge.bridge.capture;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The TLS parameters of a PostgreSQL side's JDBC URL as the properties of Debezium's PostgreSQL connector, whose JDBC and
 * replication connections take TLS from {@code database.sslmode}, {@code database.sslrootcert}, {@code
 * database.sslcert}, {@code database.sslkey}, {@code database.sslpassword} and {@code database.sslfactory} (read from
 * Debezium 3.5.0.Final's {@code PostgresConnectorConfig}), not from the URL. A TLS parameter these cannot express is
 * refused, naming it and what to use instead, rather than dropped: dropping it would leave the bridge's own connections
 * on the URL's TLS and its capture on Debezium's default ({@code prefer}, no root certificate). Query values are taken
 * as written (not percent-decoded), as pgjdbc reads them only after decoding: a value with {@code %} is refused.
 */
final class PostgresTls {
    /** pgjdbc parameter -> Debezium property, passed on as written. */
    private static final Map<String, String> PASSED = Map.of(
            "sslmode", "database.sslmode",
            "sslrootcert", "database.sslrootcert",
            "sslcert", "database.sslcert",
            "sslkey", "database.sslkey",
            "sslpassword", "database.sslpassword",
            "sslfactory", "database.sslfactory");
    private static final java.util.Set<String> MODES =
            java.util.Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    /** A parameter name that is about TLS, whether or not this class knows it. */
    private static final Pattern TLS_LIKE = Pattern.compile("(?i).*(ssl|tls|cert).*");

    private PostgresTls() {}

    /**
     * The Debezium properties for the TLS parameters of {@code jdbcUrl}.
     *
     * @param side names the side in errors ({@code v1}, {@code v2})
     * @throws GrayBridgeException ({@link ErrorCode#CONFIG_INVALID}) listing every TLS parameter that cannot be passed
     *     on, with what to use instead
     */
    static Map<String, String> properties(String jdbcUrl, String side) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        UrlParameters.of(jdbcUrl).forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            String property = PASSED.get(key);
            if (property != null) {
                if (value.contains("%")) {
                    problems.add(name + ": a percent-encoded value is not passed on to capture; write it unencoded");
                } else if (key.equals("sslmode") && !MODES.contains(value)) {
                    problems.add(name + "=" + value + ": not a PostgreSQL sslmode (use one of disable, allow, prefer,"
                            + " require, verify-ca, verify-full)");
                } else {
                    out.put(property, value);
                }
            } else if (key.equals("ssl")) {
                if (!value.equalsIgnoreCase("false")) {
                    problems.add(name + "=" + value + ": capture takes TLS from sslmode only; write sslmode=verify-full"
                            + " (what ssl=true means to pgjdbc) or the mode you want, and remove ssl");
                }
            } else if (TLS_LIKE.matcher(name).matches()) {
                problems.add(name + ": Debezium's PostgreSQL connector cannot take this TLS parameter; remove it (capture"
                        + " takes sslmode, sslrootcert, sslcert, sslkey, sslpassword and sslfactory)");
            }
        });
        UrlParameters.refuseTls(problems, side, jdbcUrl, "PostgreSQL");
        return out;
    }
}
