package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.capture.BinlogTls.Driver;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TLS parameters of MariaDB and MySQL URLs as Debezium's binlog connector properties, or refused. */
class BinlogTlsTest {

    private static Map<String, String> mariaDb(String query) {
        return BinlogTls.properties("jdbc:mariadb://db.example:3306/shop" + query, Driver.MARIADB, "v1");
    }

    private static Map<String, String> mySql(String query) {
        return BinlogTls.properties("jdbc:mysql://db.example:3306/shop" + query, Driver.MYSQL, "v2");
    }

    @Test
    void shouldSetNothingWithoutTlsParametersSoBothSidesKeepTheirAgreeingDefaults() {
        assertThat(mariaDb("")).isEmpty();
        assertThat(mySql("?connectTimeout=5000&rewriteBatchedStatements=true")).isEmpty();
    }

    @Test
    void shouldMapMariaDbSslModesAndTheirDriverAliasesToTheMariaDbConnectorsModes() {
        assertThat(mariaDb("?sslMode=verify-full")).containsExactly(Map.entry("database.ssl.mode", "verify-full"));
        assertThat(mariaDb("?sslMode=VERIFY_IDENTITY")).containsEntry("database.ssl.mode", "verify-full");
        assertThat(mariaDb("?sslMode=verify-ca")).containsEntry("database.ssl.mode", "verify-ca");
        assertThat(mariaDb("?sslMode=trust")).containsEntry("database.ssl.mode", "trust");
        assertThat(mariaDb("?sslMode=REQUIRED")).containsEntry("database.ssl.mode", "trust");
        assertThat(mariaDb("?sslMode=disable")).containsEntry("database.ssl.mode", "disable");
    }

    @Test
    void shouldMapMySqlSslModesToTheMySqlConnectorsModes() {
        assertThat(mySql("?sslMode=VERIFY_IDENTITY")).containsExactly(Map.entry("database.ssl.mode", "verify_identity"));
        assertThat(mySql("?sslMode=verify_ca")).containsEntry("database.ssl.mode", "verify_ca");
        assertThat(mySql("?sslMode=REQUIRED")).containsEntry("database.ssl.mode", "required");
        assertThat(mySql("?sslMode=PREFERRED")).containsEntry("database.ssl.mode", "preferred");
        assertThat(mySql("?sslMode=DISABLED")).containsEntry("database.ssl.mode", "disabled");
    }

    @Test
    void shouldPassTrustAndKeyStoresWithTheirPasswordsAsFilePaths() {
        assertThat(mariaDb("?sslMode=verify-full&trustStore=/etc/gb/ca.p12&trustStorePassword=t%2Bs&trustStoreType=PKCS12"
                + "&keyStore=file:/etc/gb/client.jks&keyStorePassword=k&keyStoreType=jks&keyPassword=k"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "database.ssl.mode", "verify-full",
                        "database.ssl.truststore", "/etc/gb/ca.p12",
                        "database.ssl.truststore.password", "t%2Bs",
                        "database.ssl.keystore", "/etc/gb/client.jks",
                        "database.ssl.keystore.password", "k"));
        // MariaDB Connector/J's legacy names of the trust store
        assertThat(mariaDb("?sslMode=verify-ca&trustCertificateKeyStoreUrl=/ca.jks&trustCertificateKeyStorePassword=p"))
                .containsEntry("database.ssl.truststore", "/ca.jks").containsEntry("database.ssl.truststore.password", "p");
        assertThat(mySql("?sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=file:///etc/gb/ca.p12"
                + "&trustCertificateKeyStorePassword=t&trustCertificateKeyStoreType=PKCS12"
                + "&clientCertificateKeyStoreUrl=file:/etc/gb/client.p12&clientCertificateKeyStorePassword=k"
                + "&fallbackToSystemTrustStore=true&fallbackToSystemKeyStore=false"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "database.ssl.mode", "verify_ca",
                        "database.ssl.truststore", "/etc/gb/ca.p12",
                        "database.ssl.truststore.password", "t",
                        "database.ssl.keystore", "/etc/gb/client.p12",
                        "database.ssl.keystore.password", "k"));
    }

    @Test
    void shouldRefuseEveryTlsParameterItCannotPassOnNamingEachAndWhatToDoInstead() {
        assertThatThrownBy(() -> mariaDb("?sslMode=allow&serverSslCert=/etc/gb/ca.pem&useSsl=true"
                + "&enabledSslProtocolSuites=TLSv1.3&trustStoreType=BKS&keyStore=/k.p12&keyStorePassword=a&keyPassword=b"
                + "&fallbackToSystemTrustStore=false&user=app"))
                .isInstanceOfSatisfying(GrayBridgeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("side v1")
                .hasMessageContaining("jdbc:mariadb://db.example:3306/shop)")
                .hasMessageContaining("'sslMode=allow'").hasMessageContaining("'trust' to require TLS")
                .hasMessageContaining("'serverSslCert'").hasMessageContaining("keytool -importcert")
                .hasMessageContaining("'useSsl'").hasMessageContaining("say the same with sslMode")
                .hasMessageContaining("'enabledSslProtocolSuites' cannot be passed on")
                .hasMessageContaining("'trustStoreType=BKS'")
                .hasMessageContaining("'keyPassword'")
                .hasMessageContaining("'fallbackToSystemTrustStore=false'")
                .hasMessageNotContaining("user");
        assertThatThrownBy(() -> mySql("?useSSL=false&tlsVersions=TLSv1.3&trustCertificateKeyStoreUrl=https://x/ca.jks"
                + "&sslMode=VERIFY"))
                .isInstanceOf(GrayBridgeException.class)
                .hasMessageContaining("side v2")
                .hasMessageContaining("'useSSL'").hasMessageContaining("VERIFY_IDENTITY")
                .hasMessageContaining("'tlsVersions' cannot be passed on")
                .hasMessageContaining("Debezium reads stores from files only")
                .hasMessageContaining("'sslMode=VERIFY' is not an sslMode");
    }

    @Test
    void shouldNotPrintThePasswordsOfTheUrlInItsError() {
        assertThatThrownBy(() -> mySql("?sslMode=NONE&trustCertificateKeyStorePassword=s3cret"))
                .isInstanceOf(GrayBridgeException.class)
                .hasMessageNotContaining("s3cret");
    }
}
