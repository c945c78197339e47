# shellcheck shell=bash
# Test connection settings for the end-to-end suites (tests/, io.graybridge.it.support.TestDatabases).
# .ci/run sources this file; a developer can too:  source .ci/env.sh
# With these unset, the suites fall back to Docker (Testcontainers) or an embedded PostgreSQL.
export GB_TEST_PG_URL="${GB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export GB_TEST_PG_USER="${GB_TEST_PG_USER:-postgres}"
export GB_TEST_PG_PASSWORD="${GB_TEST_PG_PASSWORD:-}"
export GB_TEST_MARIADB_URL="${GB_TEST_MARIADB_URL:-jdbc:mariadb://127.0.0.1:3306/}"
export GB_TEST_MARIADB_USER="${GB_TEST_MARIADB_USER:-root}"
export GB_TEST_MARIADB_PASSWORD="${GB_TEST_MARIADB_PASSWORD:-}"
