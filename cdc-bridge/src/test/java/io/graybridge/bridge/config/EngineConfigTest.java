package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the config check allows per engine: MariaDB sides, and what a MariaDB target cannot do (one-way latest-wins). */
class EngineConfigTest {
    private static final String MARIADB_V2 = """
            bridge:
              name: shop-release-42
            sides:
              v1:
                jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop
                user: graybridge
                schema: shop_v1
              v2:
                jdbc-url: jdbc:mariadb://127.0.0.1:3306/shop_v2
                user: graybridge
                schema: shop_v2
            tables: [customers, orders]
            """;

    @TempDir
    Path dir;

    private ProblemsException problems(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        try {
            ConfigLoader.load(file, Map.of());
        } catch (ProblemsException e) {
            return e;
        }
        throw new AssertionError("expected a ProblemsException");
    }

    @Test
    void shouldAcceptAMariaDbSide() throws IOException {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), MARIADB_V2);
        BridgeConfig cfg = ConfigLoader.load(file, Map.of());
        assertThat(cfg.v2().jdbcUrl()).startsWith("jdbc:mariadb:");
        assertThat(cfg.lane(Direction.FORWARD).enabled()).isTrue();
    }

    private static final String BOTH_LANES = "lanes:\n  v2-to-v1:\n    enabled: true\n";

    @Test
    void shouldRefuseOneWayLatestWinsIntoAMariaDbTargetAndSayWhatToDo() throws IOException {
        ProblemsException e = problems(MARIADB_V2 + "conflicts:\n  policy: latest-wins\n");
        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.message()).contains("latest-wins in one-way sync").contains("MariaDB does not keep")
                .contains("lane v1-to-v2").contains("lane v2-to-v1 is off");
        assertThat(p.hint()).contains("enable lane v2-to-v1").contains("primary-wins");
    }

    @Test
    void shouldAllowTwoWayLatestWinsIntoMariaDbAndMySqlTargets() throws IOException {
        for (String url : new String[] {"jdbc:mariadb:", "jdbc:mysql:"}) {
            String yaml = MARIADB_V2.replace("jdbc:mariadb:", url) + "conflicts:\n  policy: latest-wins\n" + BOTH_LANES;
            Path file = Files.writeString(dir.resolve("bridge.yaml"), yaml);
            BridgeConfig cfg = ConfigLoader.load(file, Map.of());
            assertThat(cfg.conflictPolicy()).as(url).isEqualTo("latest-wins");
            assertThat(cfg.lane(Direction.BACKWARD).enabled()).as(url).isTrue();
        }
        String both = MARIADB_V2.replace("jdbc:postgresql://127.0.0.1:5432/shop", "jdbc:mariadb://127.0.0.1:3306/shop_v1")
                + "conflicts:\n  policy: latest-wins\n" + BOTH_LANES;
        Path file = Files.writeString(dir.resolve("bridge.yaml"), both);
        assertThat(ConfigLoader.load(file, Map.of()).conflictPolicy()).as("MariaDB <-> MariaDB").isEqualTo("latest-wins");
    }

    @Test
    void shouldAllowLatestWinsWhenTheMariaDbSideIsOnlyASource() throws IOException {
        String yaml = MARIADB_V2.replace("jdbc:postgresql://127.0.0.1:5432/shop", "jdbc:mariadb://127.0.0.1:3306/shop_v1")
                .replace("jdbc:mariadb://127.0.0.1:3306/shop_v2", "jdbc:postgresql://127.0.0.1:5432/shop")
                + "conflicts:\n  policy: latest-wins\n";
        Path file = Files.writeString(dir.resolve("bridge.yaml"), yaml);
        assertThat(ConfigLoader.load(file, Map.of()).conflictPolicy()).isEqualTo("latest-wins");
    }

    @Test
    void shouldAcceptAMySqlSideAndRefuseOneWayLatestWinsIntoIt() throws IOException {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), MARIADB_V2.replace("jdbc:mariadb:", "jdbc:mysql:"));
        assertThat(ConfigLoader.load(file, Map.of()).v2().jdbcUrl()).startsWith("jdbc:mysql://");

        ProblemsException e = problems(MARIADB_V2.replace("jdbc:mariadb:", "jdbc:mysql:")
                + "conflicts:\n  policy: latest-wins\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).contains("MySQL does not keep").contains("lane v1-to-v2");
    }

    @Test
    void shouldRefuseAMySqlUrlNamingSeveralServersNamingTheSetting() throws IOException {
        ProblemsException e = problems(MARIADB_V2.replace("jdbc:mariadb://127.0.0.1:3306/",
                "jdbc:mysql:loadbalance://127.0.0.1:3306,127.0.0.2:3306/"));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).contains("jdbc:mysql:loadbalance://127.0.0.1:3306,127.0.0.2:3306/shop_v2");
        assertThat(e.problems().get(0).hint()).contains("one server").contains("jdbc:mysql://host:3306/database");
    }
}
