package io.graybridge.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.cli.GrayBridgeCli;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.guard.TransactionMarker;
import io.graybridge.mapping.Side;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The operator CLI run in process, and what the suites that drive it share. */
public final class Cli {
    private Cli() {}

    /** What a command printed and returned. */
    public record Run(int exit, String out, String err) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(out.substring(out.indexOf('{')));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GrayBridgeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * Copies {@code config} with the password written in (so an in-process CLI needs no environment) and
     * {@code extra} YAML appended at the top level, as {@code name} next to it.
     */
    public static Path withInlinePassword(ShopFixture shop, Path config, String name, String extra) {
        try {
            String yaml = Files.readString(config).replace("password-env: GB_IT_PASSWORD",
                    "password: '" + shop.server().password().replace("'", "''") + "'");
            Path out = config.resolveSibling(name);
            Files.writeString(out, yaml + extra);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code sql} on {@code side} in a transaction carrying the bridge's marker: no lane carries it over. */
    public static void writeUnseen(ShopFixture shop, Side side, String bridge, String sql) {
        try (Connection c = shop.connect(side)) {
            c.setAutoCommit(false);
            TransactionMarker.mark(c, Dialect.POSTGRESQL, bridge, "it-planted");
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The bridge name {@link ShopFixture} configs use. */
    public static String bridgeName(ShopFixture shop) {
        return "it-" + shop.database().replace('_', '-');
    }
}
