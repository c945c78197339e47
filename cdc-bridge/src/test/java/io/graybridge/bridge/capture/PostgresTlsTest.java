package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.GrayBridgeException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TLS parameters of PostgreSQL URLs as Debezium's PostgreSQL connector properties, or refused. */
class PostgresTlsTest {

    private static Map<String, String> pg(String query) {
        return PostgresTls.properties("jdbc:postgresql://db.example:5432/shop" + query, "v2");
    }

    @Test
    void shouldSetNothingWithoutTlsParameters() {
        assertThat(pg("")).isEmpty();
        assertThat(pg("?ApplicationName=shop&connectTimeout=5&ssl=false")).isEmpty();
    }

    @Test
    void shouldPassEveryCertificateParameterTheConnectorTakes() {
        assertThat(pg("?sslmode=verify-full&sslrootcert=/etc/pg/root.crt&sslcert=/etc/pg/client.crt"
                + "&sslkey=/etc/pg/client.pk8&sslpassword=s3cret&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "database.sslmode", "verify-full",
                        "database.sslrootcert", "/etc/pg/root.crt",
                        "database.sslcert", "/etc/pg/client.crt",
                        "database.sslkey", "/etc/pg/client.pk8",
                        "database.sslpassword", "s3cret",
                        "database.sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory"));
    }

    @Test
    void shouldRefuseWhatCaptureCannotTakeNamingEachParameterWithoutShowingSecrets() {
        assertThatThrownBy(() -> pg("?ssl=true&sslhostnameverifier=x.Y&sslmode=strict&sslpassword=s3cret"))
                .isInstanceOf(GrayBridgeException.class)
                .hasMessageContaining("side v2")
                .hasMessageContaining("jdbc:postgresql://db.example:5432/shop)")
                .hasMessageContaining("ssl=true: capture takes TLS from sslmode only; write sslmode=verify-full")
                .hasMessageContaining("sslhostnameverifier: Debezium's PostgreSQL connector cannot take")
                .hasMessageContaining("sslmode=strict: not a PostgreSQL sslmode")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> pg("?sslrootcert=%2Fetc%2Froot.crt"))
                .hasMessageContaining("sslrootcert: a percent-encoded value is not passed on");
    }
}
