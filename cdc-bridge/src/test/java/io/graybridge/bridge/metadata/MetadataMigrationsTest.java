package io.graybridge.bridge.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MySQL's metadata migrations (db/graybridge/mysql) are MariaDB's with MySQL's words: the same versions and the same
 * statements, but for a generated column's {@code STORED} (MariaDB's {@code PERSISTENT}, which MySQL refuses). A
 * migration added for MariaDB without its MySQL twin fails here.
 */
class MetadataMigrationsTest {
    private static final Path ROOT = Path.of("src/main/resources/db/graybridge");

    private static List<String> names(String folder) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The statements of a migration: comments and blank space dropped. */
    private static String statements(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            int comment = line.indexOf("--");
            String code = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!code.isEmpty()) {
                out.append(code.replaceAll("\\s+", " ")).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void shouldHaveEveryMariaDbMigrationForMySqlWithTheSameStatements() throws IOException {
        List<String> maria = names("mariadb");
        assertThat(maria).isNotEmpty();
        assertThat(names("mysql")).isEqualTo(maria);
        for (String name : maria) {
            String expected = statements(ROOT.resolve("mariadb").resolve(name)).replace(" PERSISTENT,", " STORED,");
            assertThat(statements(ROOT.resolve("mysql").resolve(name))).as(name).isEqualTo(expected);
        }
    }

    @Test
    void shouldUseNoMariaDbOnlySyntaxInTheMySqlMigrations() throws IOException {
        for (String name : names("mysql")) {
            String sql = statements(ROOT.resolve("mysql").resolve(name)).toUpperCase(java.util.Locale.ROOT);
            assertThat(sql).as(name).doesNotContain("PERSISTENT").doesNotContain("ADD COLUMN IF NOT EXISTS")
                    .doesNotContain("CREATE OR REPLACE").doesNotContain("CREATE SEQUENCE").doesNotContain(" INET6")
                    .doesNotContain(" UUID");
        }
    }
}
