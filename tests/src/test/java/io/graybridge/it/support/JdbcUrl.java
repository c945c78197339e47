package io.graybridge.it.support;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Small helpers for {@code jdbc:<scheme>://host:port/database?params} URLs and database names. */
final class JdbcUrl {

    final String scheme;    // e.g. "jdbc:postgresql:"
    final String hostPort;  // e.g. "127.0.0.1:5432" (may list several hosts)
    final String database;  // may be empty
    final String params;    // with leading '?', or empty

    private JdbcUrl(String scheme, String hostPort, String database, String params) {
        this.scheme = scheme;
        this.hostPort = hostPort;
        this.database = database;
        this.params = params;
    }

    static JdbcUrl parse(String url) {
        int slashes = url.indexOf("//");
        if (!url.startsWith("jdbc:") || slashes < 0) {
            throw new IllegalArgumentException("not a jdbc:<scheme>://host... URL: " + url);
        }
        String scheme = url.substring(0, slashes);
        String rest = url.substring(slashes + 2);
        String params = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            params = rest.substring(q);
            rest = rest.substring(0, q);
        }
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        return new JdbcUrl(scheme, rest, database, params);
    }

    String withDatabase(String db) {
        return scheme + "//" + hostPort + "/" + (db == null ? "" : db) + params;
    }

    String host() {
        String first = hostPort.split(",")[0];
        int colon = first.lastIndexOf(':');
        return colon < 0 ? first : first.substring(0, colon);
    }

    int port(int defaultPort) {
        String first = hostPort.split(",")[0];
        int colon = first.lastIndexOf(':');
        return colon < 0 ? defaultPort : Integer.parseInt(first.substring(colon + 1));
    }

    /** URL with any password parameter masked, for log lines. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * A fresh database name: {@code gbit_<prefix>_<8 hex>}, lower case, only [a-z0-9_], at most 63 characters
     * (PostgreSQL's identifier limit; MariaDB allows 64).
     */
    static String uniqueName(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        p = p.replaceAll("^_+|_+$", "");
        if (p.isEmpty()) {
            p = "db";
        }
        String random = String.format("%08x", ThreadLocalRandom.current().nextInt());
        int max = 63 - TestDatabases.NAME_PREFIX.length() - 1 - random.length();
        if (p.length() > max) {
            p = p.substring(0, max);
        }
        return TestDatabases.NAME_PREFIX + p + "_" + random;
    }

    /** Names this package creates or accepts for dropping: plain identifiers, nothing to quote. */
    static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        return name;
    }
}
