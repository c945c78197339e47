package io.graybridge.bridge.capture;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The TLS parameters of a MariaDB or MySQL side's JDBC URL as the properties of Debezium's binlog connector, whose
 * JDBC connection and binlog reader take TLS from {@code database.ssl.mode}, {@code database.ssl.truststore},
 * {@code database.ssl.truststore.password}, {@code database.ssl.keystore} and {@code database.ssl.keystore.password}
 * only (not from the driver's own parameters). A TLS parameter that these cannot express is refused, naming it and
 * what to use instead, rather than dropped: dropping it would leave the bridge's own connections on TLS and its
 * capture on whatever Debezium's default is.
 *
 * <p>Without an {@code sslMode} nothing is set and both sides keep their defaults, which agree: MariaDB Connector/J
 * and Debezium's MariaDB connector do not use TLS ({@code disable}); MySQL Connector/J and Debezium's MySQL connector
 * use it when the server offers it ({@code preferred}).
 *
 * <p>Debezium reads the stores as {@code JKS}, which on Java 17 reads PKCS12 files too; a PEM certificate (MariaDB's
 * {@code serverSslCert}) has to be imported into a trust store first. Query values are taken as written (not
 * percent-decoded).
 */
final class BinlogTls {

    /** The driver whose parameter names and {@code sslMode} values a URL uses. */
    enum Driver {
        /** MariaDB Connector/J 3.x: {@code sslMode} disable, trust, verify-ca, verify-full (and its aliases). */
        MARIADB,
        /** MySQL Connector/J: {@code sslMode} DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY. */
        MYSQL
    }

    static final String SSL_MODE = "database.ssl.mode";
    static final String TRUSTSTORE = "database.ssl.truststore";
    static final String TRUSTSTORE_PASSWORD = "database.ssl.truststore.password";
    static final String KEYSTORE = "database.ssl.keystore";
    static final String KEYSTORE_PASSWORD = "database.ssl.keystore.password";

    /** A parameter name that is about TLS, whether or not this class knows it. */
    private static final Pattern TLS_LIKE = Pattern.compile("(?i).*(ssl|tls|trust|keystore|cert|cipher).*");

    private BinlogTls() {}

    /**
     * The Debezium properties for the TLS parameters of {@code jdbcUrl}.
     *
     * @param side names the side in errors ({@code v1}, {@code v2})
     * @throws GrayBridgeException ({@link ErrorCode#CONFIG_INVALID}) listing every TLS parameter that cannot be passed
     *     on, with what to use instead
     */
    static Map<String, String> properties(String jdbcUrl, Driver driver, String side) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> keystoreTypes = new LinkedHashMap<>();
        String keyPassword = null;
        for (Map.Entry<String, String> e : UrlParameters.of(jdbcUrl).entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            String key = name.toLowerCase(Locale.ROOT);
            switch (driver == Driver.MARIADB ? mariaDbRole(key) : mySqlRole(key)) {
                case MODE -> {
                    String mode = driver == Driver.MARIADB ? mariaDbMode(value) : mySqlMode(value);
                    if (mode == null) {
                        problems.add("'" + name + "=" + value + "' is not an sslMode Debezium's "
                                + (driver == Driver.MARIADB ? "MariaDB" : "MySQL") + " connector has: use one of "
                                + (driver == Driver.MARIADB ? "disable, trust, verify-ca, verify-full"
                                        : "DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY")
                                + ("allow".equalsIgnoreCase(value)
                                        ? " (its binlog reader cannot fall back to plain text: 'trust' to require TLS,"
                                                + " 'disable' for none)"
                                        : ""));
                    } else {
                        out.put(SSL_MODE, mode);
                    }
                }
                case TRUSTSTORE -> storePath(name, value, problems).ifPresent(p -> out.put(TRUSTSTORE, p));
                case TRUSTSTORE_PASSWORD -> out.put(TRUSTSTORE_PASSWORD, value);
                case KEYSTORE -> storePath(name, value, problems).ifPresent(p -> out.put(KEYSTORE, p));
                case KEYSTORE_PASSWORD -> out.put(KEYSTORE_PASSWORD, value);
                case KEY_PASSWORD -> keyPassword = value;
                case STORE_TYPE -> keystoreTypes.put(name, value);
                case TRUST_FALLBACK -> {
                    if (!"true".equalsIgnoreCase(value)) {
                        problems.add("'" + name + "=" + value + "': Debezium's binlog reader verifies with the JVM's"
                                + " trust store when the URL names none; remove the parameter, or give the trust store"
                                + " to use");
                    }
                }
                case KEY_FALLBACK -> {
                    // Debezium presents a client certificate from the URL's key store only, never the JVM's
                }
                case LEGACY -> problems.add("'" + name + "' is not passed on to Debezium's binlog reader: say the"
                        + " same with sslMode (" + (driver == Driver.MARIADB
                                ? "disable, trust, verify-ca, verify-full"
                                : "DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY") + ")");
                case PEM -> problems.add("'" + name + "': Debezium's binlog reader takes a trust store, not a"
                        + " certificate file; import the certificate (keytool -importcert -file ca.pem -keystore"
                        + " truststore.p12 -storetype PKCS12) and give trustStore and trustStorePassword instead");
                case UNKNOWN_TLS -> problems.add("'" + name + "' cannot be passed on to Debezium's binlog reader"
                        + " (it takes sslMode, the trust store and the key store with their passwords); remove it");
                case OTHER -> {
                    // not about TLS: the bridge's own connections use it, Debezium's do not need it
                }
            }
        }
        keystoreTypes.forEach((name, value) -> {
            if (!"JKS".equalsIgnoreCase(value) && !"PKCS12".equalsIgnoreCase(value)) {
                problems.add("'" + name + "=" + value + "': Debezium reads JKS and PKCS12 stores only; convert the"
                        + " store to PKCS12");
            }
        });
        if (keyPassword != null && !keyPassword.equals(out.get(KEYSTORE_PASSWORD))) {
            problems.add("'keyPassword': Debezium unlocks the client key with the key store's password; give the key"
                    + " the same password as the store (keytool -keypasswd) and remove keyPassword");
        }
        if (out.containsKey(TRUSTSTORE_PASSWORD) && !out.containsKey(TRUSTSTORE)) {
            out.remove(TRUSTSTORE_PASSWORD); // a password without its store: the drivers ignore it too
        }
        if (out.containsKey(KEYSTORE_PASSWORD) && !out.containsKey(KEYSTORE)) {
            out.remove(KEYSTORE_PASSWORD);
        }
        UrlParameters.refuseTls(problems, side, jdbcUrl, "binlog");
        return out;
    }

    private enum Role { MODE, TRUSTSTORE, TRUSTSTORE_PASSWORD, KEYSTORE, KEYSTORE_PASSWORD, KEY_PASSWORD, STORE_TYPE,
        TRUST_FALLBACK, KEY_FALLBACK, LEGACY, PEM, UNKNOWN_TLS, OTHER }

    private static Role mariaDbRole(String key) {
        return switch (key) {
            case "sslmode" -> Role.MODE;
            case "truststore", "trustcertificatekeystoreurl" -> Role.TRUSTSTORE;
            case "truststorepassword", "trustcertificatekeystorepassword" -> Role.TRUSTSTORE_PASSWORD;
            case "keystore" -> Role.KEYSTORE;
            case "keystorepassword" -> Role.KEYSTORE_PASSWORD;
            case "keypassword" -> Role.KEY_PASSWORD;
            case "truststoretype", "keystoretype" -> Role.STORE_TYPE;
            case "fallbacktosystemtruststore" -> Role.TRUST_FALLBACK;
            case "fallbacktosystemkeystore" -> Role.KEY_FALLBACK;
            case "usessl", "trustservercertificate", "disablesslhostnameverification" -> Role.LEGACY;
            case "serversslcert" -> Role.PEM;
            default -> TLS_LIKE.matcher(key).matches() ? Role.UNKNOWN_TLS : Role.OTHER;
        };
    }

    private static Role mySqlRole(String key) {
        return switch (key) {
            case "sslmode" -> Role.MODE;
            case "trustcertificatekeystoreurl" -> Role.TRUSTSTORE;
            case "trustcertificatekeystorepassword" -> Role.TRUSTSTORE_PASSWORD;
            case "clientcertificatekeystoreurl" -> Role.KEYSTORE;
            case "clientcertificatekeystorepassword" -> Role.KEYSTORE_PASSWORD;
            case "trustcertificatekeystoretype", "clientcertificatekeystoretype" -> Role.STORE_TYPE;
            case "fallbacktosystemtruststore" -> Role.TRUST_FALLBACK;
            case "fallbacktosystemkeystore" -> Role.KEY_FALLBACK;
            case "usessl", "requiressl", "verifyservercertificate" -> Role.LEGACY;
            default -> TLS_LIKE.matcher(key).matches() ? Role.UNKNOWN_TLS : Role.OTHER;
        };
    }

    /** MariaDB Connector/J's sslMode values and aliases as the MariaDB connector's, or null ({@code allow} too). */
    private static String mariaDbMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "disable", "disabled", "0", "false" -> "disable";
            case "trust", "required" -> "trust";
            case "verify-ca", "verify_ca" -> "verify-ca";
            case "verify-full", "verify_full", "verify_identity", "1", "true" -> "verify-full";
            default -> null;
        };
    }

    /** MySQL Connector/J's sslMode values as the MySQL connector's, or null. */
    private static String mySqlMode(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "DISABLED" -> "disabled";
            case "PREFERRED" -> "preferred";
            case "REQUIRED" -> "required";
            case "VERIFY_CA" -> "verify_ca";
            case "VERIFY_IDENTITY" -> "verify_identity";
            default -> null;
        };
    }

    /** A store given as a path or a {@code file:} URL, as the file path Debezium takes. */
    private static java.util.Optional<String> storePath(String name, String value, List<String> problems) {
        if (value.isEmpty()) {
            problems.add("'" + name + "' is empty: give the store's file path, or remove the parameter");
            return java.util.Optional.empty();
        }
        if (value.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                String path = value.startsWith("file://") || value.startsWith("file:/")
                        ? URI.create(value).getPath() : value.substring(5);
                return java.util.Optional.of(path);
            } catch (IllegalArgumentException e) {
                problems.add("'" + name + "=" + value + "' is not a file URL: give the store's file path");
                return java.util.Optional.empty();
            }
        }
        if (value.matches("(?i)^[a-z][a-z0-9+.-]+:.*") && !value.matches("(?i)^[a-z]:[\\\\/].*")) {
            problems.add("'" + name + "=" + value + "': Debezium reads stores from files only; copy the store to a file"
                    + " and give its path");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(value);
    }
}
