package io.graybridge.bridge.config;

import io.graybridge.bridge.config.LaneConfig.SnapshotMode;
import io.graybridge.bridge.conflict.ConflictResolvers;
import io.graybridge.bridge.deadletter.DeadLetterPolicy;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a bridge config file, each declared once. {@link ConfigLoader} reads through these
 * declarations (so an undeclared key is an unknown key) and {@link #markdownTable()} renders them as the
 * README's reference table.
 */
public final class Settings {
    private static final String TABLE_NAME = "[A-Za-z_][A-Za-z0-9_$]*";

    public static final Setting<String> BRIDGE_NAME = Setting.string("bridge.name", "[a-z0-9_-]{1,40}",
                    "1 to 40 characters of a-z, 0-9, _ and -")
            .required()
            .doc("Identifies this bridge in its metadata, replication slot names, logs and audit events."
                    + " Give each release its own name.");
    public static final Setting<String> METADATA_SCHEMA = Setting.string("bridge.metadata-schema",
                    "[a-z_][a-z0-9_]{0,62}", "a lower-case SQL identifier")
            .defaultValue("graybridge")
            .doc("Schema on each side where the bridge keeps its own tables (offsets, progress); created if missing"
                    + " (on PostgreSQL that needs CREATE on the database, or the schema is created once owned by the"
                    + " bridge's user).");

    public static final Setting<String> JDBC_URL = Setting.string("sides.<side>.jdbc-url", "jdbc:.+", "a JDBC URL (jdbc:...)")
            .required()
            .check(url -> !url.toLowerCase(Locale.ROOT).matches(".*[?&;]password=.*"),
                    "must not carry a password", "use password-env or password-file, so it is never printed")
            .doc("JDBC URL of the side's database, e.g. `jdbc:postgresql://host:5432/shop`.");
    public static final Setting<String> USER = Setting.string("sides.<side>.user")
            .required()
            .doc("Database user the bridge connects as.");
    public static final Setting<String> PASSWORD_ENV = Setting.string("sides.<side>.password-env",
                    "[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
            .optional("-")
            .doc("Name of the environment variable holding the password. Set at most one of password-env,"
                    + " password-file and password; none means no password.");
    public static final Setting<String> PASSWORD_FILE = Setting.string("sides.<side>.password-file")
            .optional("-")
            .doc("File holding the password (one trailing newline is ignored); relative to the config file's folder.");
    public static final Setting<String> PASSWORD = Setting.secret("sides.<side>.password")
            .optional("-")
            .doc("The password itself, best as `${ENV_VAR}`; never printed or logged.");
    public static final Setting<String> SCHEMA = Setting.string("sides.<side>.schema", "[A-Za-z_][A-Za-z0-9_$]{0,62}",
                    "a SQL identifier")
            .required()
            .doc("Schema holding this side's application tables.");
    public static final Setting<Integer> POOL_SIZE = Setting.integer("sides.<side>.pool-size", 1, 64)
            .defaultValue(4)
            .doc("Most connections the bridge opens to this side.");

    public static final Setting<String> MAPPING = Setting.string("mapping")
            .optional("-")
            .doc("Mapping file (relative to the config file's folder). Without one, every table has the same"
                    + " name and columns on both sides.");
    public static final Setting<List<String>> TABLES = Setting.stringList("tables")
            .required()
            .check(list -> !list.isEmpty(), "must list at least one table", "write the v1 names: tables: [customers, orders]")
            .check(list -> list.stream().allMatch(t -> t.matches(TABLE_NAME)),
                    "must hold table names without a schema", "each side's schema is sides.<side>.schema")
            .check(list -> new LinkedHashSet<>(list).size() == list.size(), "lists a table twice", null)
            .doc("The v1 tables in scope. Each uses its entry in the mapping file, or the same name and columns"
                    + " on v2 when the mapping file has none. A table split into several v2 tables brings all its"
                    + " parts; one table of a merge brings the others.");

    public static final Setting<Boolean> LANE_ENABLED = Setting.bool("lanes.<lane>.enabled")
            .defaultValue(s -> s.lane() == Direction.FORWARD, "`true` for v1-to-v2, `false` for v2-to-v1")
            .doc("Whether `graybridge run` starts this lane.");
    public static final Setting<String> SLOT_NAME = Setting.string("lanes.<lane>.slot-name", "[a-z0-9_]{1,63}",
                    "1 to 63 characters of a-z, 0-9 and _")
            .defaultValue(Settings::defaultSlotName, "`graybridge_<name>_v1` (v1-to-v2), `graybridge_<name>_v2` (v2-to-v1),"
                    + " `-` in the name becomes `_`")
            .doc("PostgreSQL replication slot on the lane's source side; created if missing, reused on restart.");
    public static final Setting<String> PUBLICATION_NAME = Setting.string("lanes.<lane>.publication-name",
                    "[a-z0-9_]{1,63}", "1 to 63 characters of a-z, 0-9 and _")
            .defaultValue(s -> s.get(SLOT_NAME), "the slot name")
            .doc("PostgreSQL publication on the lane's source side, listing exactly the lane's source tables; created if"
                    + " missing when the bridge's user may (CREATE on the database, owner of the tables), otherwise the"
                    + " tables' owner creates it once (README, \"PostgreSQL sides\").");
    public static final Setting<SnapshotMode> SNAPSHOT = Setting.enumeration("lanes.<lane>.snapshot", SnapshotMode.class)
            .defaultValue(s -> s.lane() == Direction.FORWARD ? SnapshotMode.INITIAL : SnapshotMode.NEVER,
                    "`initial` for v1-to-v2, `never` for v2-to-v1")
            .doc("`initial` copies the existing rows first (backfill), then streams; `never` streams only. The"
                    + " v2-to-v1 lane streams only: v2 is filled from v1 by the backfill, copying it back would"
                    + " gain nothing.");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("lanes.<lane>.batch-size", 1, 100_000)
            .defaultValue(1000)
            .doc("Most change events applied in one target transaction.");
    public static final Setting<Integer> POLL_INTERVAL_MS = Setting.integer("lanes.<lane>.poll-interval-ms", 1, 60_000)
            .defaultValue(200)
            .doc("Milliseconds capture waits for more events before handing over a partial batch.");

    public static final Setting<Integer> READ_AHEAD = Setting.integer("lanes.<lane>.read-ahead", 1, 10_000_000)
            .defaultValue(s -> LaneConfig.defaultReadAhead((Integer) s.values().getOrDefault(BATCH_SIZE, 1000)),
                    "10 x `batch-size`")
            .doc("Most row changes capture reads ahead of the lane's apply thread (the queue between them; a batch"
                    + " larger than this still goes in when the queue is empty). At least `batch-size`. Under"
                    + " `latest-wins` with both lanes on, a full queue while the reverse lane waits for this lane's"
                    + " capture makes capture read on for knowledge only and then restart its engine (ARCHITECTURE.md,"
                    + " \"latest-wins: the build plan\"): a larger read-ahead makes such restarts rarer and holds more"
                    + " changes in memory.");

    public static final Setting<DeadLetterPolicy.Action> DEAD_LETTER_POLICY = Setting.enumeration(
                    "lanes.<lane>.dead-letters.policy", DeadLetterPolicy.Action.class)
            .defaultValue(DeadLetterPolicy.Action.PAUSE)
            .doc("What the lane does with a source change it cannot map (a value the rules do not cover, an"
                    + " expression error): it always records it, with the error, its key, source position and row, in"
                    + " the metadata table `dead_letter`, in the transaction that stores the lane's position. Then"
                    + " `pause` holds every later change of that table as a dead letter too, in order, while the other"
                    + " tables keep flowing, until `graybridge deadletters retry` applies them after the mapping is"
                    + " fixed; `skip` goes on with the table's next change. Nothing is dropped silently.");
    public static final Setting<Map<String, DeadLetterPolicy.Action>> DEAD_LETTER_TABLES = Setting.enumMap(
                    "lanes.<lane>.dead-letters.tables", "source table", DeadLetterPolicy.Action.class)
            .optional("none: every table follows `dead-letters.policy`")
            .check(map -> map.keySet().stream().allMatch(t -> t.matches(TABLE_NAME)),
                    "must map table names without a schema", "e.g. tables: {orders: skip}")
            .doc("The policy of single tables of the lane's source side, overriding `dead-letters.policy`, e.g."
                    + " `{audit_log: skip}`.");

    public static final Setting<String> CONFLICT_POLICY = Setting.string("conflicts.policy")
            .defaultValue("primary-wins")
            .check(name -> ConflictResolvers.all().stream().anyMatch(r -> r.name().equals(name)),
                    "is not a registered conflict policy",
                    "use v1-wins, v2-wins, primary-wins, latest-wins, or the name of a ConflictResolver on the classpath")
            .doc("Who wins when both sides changed the same row (or the same columns of it) before the other lane"
                    + " delivered: `v1-wins`, `v2-wins`, `primary-wins` (v1 until promoted, then v2), `latest-wins`"
                    + " (the later write; ties and unknown times go to v1; with both lanes on by stamps capture computes,"
                    + " on every engine; in one-way sync by the target row's commit time, which needs a PostgreSQL target"
                    + " with `track_commit_timestamp`), or a"
                    + " custom `ConflictResolver`. Every conflict is recorded in the metadata table `conflict_log`.");

    public static final Setting<Boolean> NULL_EQUALS_EMPTY = Setting.bool("reconcile.null-equals-empty")
            .defaultValue(false)
            .doc("Whether `drift` and `repair` treat NULL and the empty string as the same value. By default they"
                    + " differ.");
    public static final Setting<Integer> CATCH_UP_TIMEOUT = Setting.integer("reconcile.catch-up-timeout-seconds", 0, 3600)
            .defaultValue(60)
            .doc("How long `drift` and `gate` wait for the lanes to apply everything committed before the comparison"
                    + " began, before they re-check the keys that differed. A lane still behind after that (or stopped"
                    + " and behind) makes a table with differences \"could not check\" (exit 2), never drift or clean.");

    public static final Setting<Boolean> VERIFY_ENABLED = Setting.bool("verify.enabled")
            .defaultValue(true)
            .doc("Whether `run` re-reads every key a lane applied, on both sides, after `verify.delay-ms`, and"
                    + " compares it through the mapping (continuous verification; findings in `status`).");
    public static final Setting<Integer> VERIFY_DELAY_MS = Setting.integer("verify.delay-ms", 0, 600_000)
            .defaultValue(2000)
            .doc("Milliseconds between a lane applying a key and the verifier reading it. A key that differs is"
                    + " read once more after the same delay; only a key that still differs (and was not changed again)"
                    + " is a finding.");
    public static final Setting<Integer> VERIFY_QUEUE = Setting.integer("verify.queue-capacity", 1, 10_000_000)
            .defaultValue(100_000)
            .doc("Most distinct keys waiting for verification; a key applied again while queued is queued once."
                    + " Keys that do not fit are counted as overflowed in `status`, not verified.");

    public static final Setting<Integer> GATE_MAX_DRIFT_AGE = Setting.integer("gate.max-drift-age-seconds", 1, 604_800)
            .defaultValue(900)
            .doc("Oldest stored drift result the gate accepts; older or missing fails the gate (`gate --reconcile`"
                    + " runs a fresh one).");
    public static final Setting<Integer> GATE_MAX_LAG = Setting.integer("gate.max-lag-seconds", 0, 86_400)
            .defaultValue(10)
            .doc("Most lag (seconds) an enabled lane may have for the gate to pass.");
    public static final Setting<Integer> GATE_MAX_CONFLICTS = Setting.integer("gate.max-open-conflicts", 0, 1_000_000)
            .defaultValue(0)
            .doc("Most conflicts recorded in `conflict_log` since the drift result the gate relies on began (later"
                    + " ones are not proven converged yet).");
    public static final Setting<Integer> GATE_MAX_DEAD_LETTERS = Setting.integer("gate.max-dead-letters", 0, 1_000_000)
            .defaultValue(0)
            .doc("Most dead letters (rows that could not be mapped or applied) for the gate to pass.");
    public static final Setting<Integer> GATE_MAX_ERRORS = Setting.integer("gate.max-errors", 0, 1_000_000)
            .defaultValue(0)
            .doc("Most errors for the gate to pass: continuous-verification findings since the drift result began,"
                    + " plus enabled lanes that are not running.");

    public static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", 1, 65_535)
            .optional("off: no HTTP server")
            .doc("TCP port of the HTTP server `run` starts: `/metrics` (Prometheus), `/health/live`, `/health/ready`,"
                    + " `/gate/promote` and `/gate/rollback` (README, \"HTTP\"). Without it no server starts.");
    public static final Setting<String> HTTP_BIND_ADDRESS = Setting.string("http.bind-address")
            .defaultValue("127.0.0.1")
            .doc("Address the HTTP server listens on; `0.0.0.0` for every interface (in a container, for the"
                    + " orchestrator's probes and the rollout controller).");
    public static final Setting<String> HTTP_TOKEN_ENV = Setting.string("http.token-env", "[A-Za-z_][A-Za-z0-9_]*",
                    "an environment variable name")
            .optional("-")
            .doc("Name of the environment variable holding a bearer token that `/metrics` and `/gate/*` then require"
                    + " (`Authorization: Bearer <token>`); health checks stay open. Set at most one of token-env and"
                    + " token-file; none means no token. The token is never printed or logged.");
    public static final Setting<String> HTTP_TOKEN_FILE = Setting.string("http.token-file")
            .optional("-")
            .doc("File holding that bearer token (one trailing newline is ignored); relative to the config file's"
                    + " folder, e.g. a mounted Kubernetes secret.");
    public static final Setting<Integer> HTTP_READY_MAX_LAG = Setting.integer("http.ready-max-lag-seconds", 0, 86_400)
            .defaultValue(30)
            .doc("`/health/ready` answers 200 only while every enabled lane runs, streams, and applied its newest"
                    + " change within this many seconds of its source commit.");

    public static final Setting<List<String>> MASKED_COLUMNS = Setting.stringList("report.masked-columns")
            .optional("none")
            .check(list -> list.stream().allMatch(c -> c.matches(TABLE_NAME + "\\." + TABLE_NAME)),
                    "must hold table.column entries", "e.g. masked-columns: [customers.email, clients.full_name]")
            .doc("Sensitive columns, as `table.column` (either side's table and column name), whose values `drift`"
                    + " and `repair --dry-run` print as `****`, and audit events hide as `audit.masking` says.");

    private static final String TOPIC = "[A-Za-z0-9._-]{1,249}";
    private static final String TOPIC_SHAPE = "a Kafka topic name (1 to 249 of A-Z, a-z, 0-9, ., _ and -)";

    public static final Setting<String> AUDIT_BOOTSTRAP = Setting.string("audit.bootstrap-servers", "([^\\s,]+(,[^\\s,]+)*)?",
                    "host:port[,host:port...]")
            .optional("none (or empty): audit is off")
            .doc("Kafka brokers of the audit trail. When set, every applied change, conflict and lifecycle event is"
                    + " written to the metadata table `audit_outbox` in the transaction that makes it, and a relay in"
                    + " `graybridge run` publishes it (CloudEvents JSON, idempotent producer, `acks=all`). Sync never"
                    + " waits for Kafka.");
    public static final Setting<String> AUDIT_CHANGES_TOPIC = Setting.string("audit.topics.changes", TOPIC, TOPIC_SHAPE)
            .defaultValue("graybridge.audit.changes")
            .doc("Topic of `io.graybridge.change.applied` events; created if missing.");
    public static final Setting<String> AUDIT_CONFLICTS_TOPIC = Setting.string("audit.topics.conflicts", TOPIC, TOPIC_SHAPE)
            .defaultValue("graybridge.audit.conflicts")
            .doc("Topic of `io.graybridge.conflict.resolved` and `io.graybridge.deadletter` events; created if missing.");
    public static final Setting<String> AUDIT_LIFECYCLE_TOPIC = Setting.string("audit.topics.lifecycle", TOPIC, TOPIC_SHAPE)
            .defaultValue("graybridge.audit.lifecycle")
            .doc("Topic of `io.graybridge.phase.changed`, `io.graybridge.gate.decided` and `io.graybridge.repair.applied`"
                    + " events; created if missing.");
    public static final Setting<Integer> AUDIT_PARTITIONS = Setting.integer("audit.topic-partitions", 1, 10_000)
            .optional("the broker's `num.partitions`")
            .doc("Partitions of an audit topic the relay creates. Events of one row share a record key (table and"
                    + " primary key), so they stay in order in one partition.");
    public static final Setting<Integer> AUDIT_REPLICATION = Setting.integer("audit.topic-replication-factor", 1, 32)
            .optional("the broker's `default.replication.factor`")
            .doc("Replication factor of an audit topic the relay creates.");
    public static final Setting<AuditConfig.Masking> AUDIT_MASKING = Setting.enumeration("audit.masking",
                    AuditConfig.Masking.class)
            .defaultValue(AuditConfig.Masking.MASK)
            .doc("How audit events show the columns of `report.masked-columns`: `mask` (`****`), `hash` (`sha256:` and"
                    + " an HMAC-SHA256 of the value with `audit.hash-salt`, so equal values can still be joined), or"
                    + " `drop` (left out). Primary key columns are never masked: they name the row in the event's"
                    + " subject and record key.");
    public static final Setting<String> AUDIT_HASH_SALT = Setting.secret("audit.hash-salt")
            .optional("-")
            .doc("Salt of `audit.masking: hash`, best as `${ENV_VAR}`; required with it; never printed or logged.");
    public static final Setting<Integer> AUDIT_RELAY_BATCH = Setting.integer("audit.relay-batch-size", 1, 10_000)
            .defaultValue(500)
            .doc("Most outbox rows the relay publishes before it waits for Kafka's acknowledgements and deletes them.");
    public static final Setting<AuditConfig.Protocol> AUDIT_PROTOCOL = Setting.enumeration("audit.security-protocol",
                    AuditConfig.Protocol.class)
            .defaultValue(AuditConfig.Protocol.PLAINTEXT)
            .doc("Kafka `security.protocol`.");
    public static final Setting<String> AUDIT_SASL_MECHANISM = Setting.string("audit.sasl-mechanism",
                    "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
            .optional("-")
            .doc("Kafka `sasl.mechanism`, with `sasl-plaintext` or `sasl-ssl`.");
    public static final Setting<String> AUDIT_SASL_USERNAME = Setting.string("audit.sasl-username")
            .optional("-")
            .doc("SASL user; with `audit.sasl-password` it becomes the client's `sasl.jaas.config`.");
    public static final Setting<String> AUDIT_SASL_PASSWORD = Setting.secret("audit.sasl-password")
            .optional("-")
            .doc("SASL password, best as `${ENV_VAR}`; never printed or logged.");
    public static final Setting<String> AUDIT_TRUSTSTORE = Setting.string("audit.ssl-truststore-location")
            .optional("the JVM's trust store")
            .doc("Kafka `ssl.truststore.location`, relative to the config file's folder.");
    public static final Setting<String> AUDIT_TRUSTSTORE_PASSWORD = Setting.secret("audit.ssl-truststore-password")
            .optional("-")
            .doc("Kafka `ssl.truststore.password`; never printed or logged.");
    public static final Setting<String> AUDIT_KEYSTORE = Setting.string("audit.ssl-keystore-location")
            .optional("-")
            .doc("Kafka `ssl.keystore.location` (client certificate for mutual TLS), relative to the config file's folder.");
    public static final Setting<String> AUDIT_KEYSTORE_PASSWORD = Setting.secret("audit.ssl-keystore-password")
            .optional("-")
            .doc("Kafka `ssl.keystore.password`; never printed or logged.");

    private static final List<Setting<?>> ALL = List.of(
            BRIDGE_NAME, METADATA_SCHEMA,
            JDBC_URL, USER, PASSWORD_ENV, PASSWORD_FILE, PASSWORD, SCHEMA, POOL_SIZE,
            MAPPING, TABLES,
            LANE_ENABLED, SLOT_NAME, PUBLICATION_NAME, SNAPSHOT, BATCH_SIZE, POLL_INTERVAL_MS, READ_AHEAD,
            DEAD_LETTER_POLICY, DEAD_LETTER_TABLES,
            CONFLICT_POLICY, NULL_EQUALS_EMPTY, CATCH_UP_TIMEOUT, MASKED_COLUMNS,
            VERIFY_ENABLED, VERIFY_DELAY_MS, VERIFY_QUEUE,
            GATE_MAX_DRIFT_AGE, GATE_MAX_LAG, GATE_MAX_CONFLICTS, GATE_MAX_DEAD_LETTERS, GATE_MAX_ERRORS,
            AUDIT_BOOTSTRAP, AUDIT_CHANGES_TOPIC, AUDIT_CONFLICTS_TOPIC, AUDIT_LIFECYCLE_TOPIC, AUDIT_PARTITIONS,
            AUDIT_REPLICATION, AUDIT_MASKING, AUDIT_HASH_SALT, AUDIT_RELAY_BATCH, AUDIT_PROTOCOL, AUDIT_SASL_MECHANISM,
            AUDIT_SASL_USERNAME, AUDIT_SASL_PASSWORD, AUDIT_TRUSTSTORE, AUDIT_TRUSTSTORE_PASSWORD, AUDIT_KEYSTORE,
            AUDIT_KEYSTORE_PASSWORD,
            HTTP_PORT, HTTP_BIND_ADDRESS, HTTP_TOKEN_ENV, HTTP_TOKEN_FILE, HTTP_READY_MAX_LAG);

    private static final Map<String, List<String>> PLACEHOLDERS = Map.of(
            Setting.SIDE, List.of(Side.V1.id(), Side.V2.id()),
            Setting.LANE, List.of(Direction.FORWARD.laneName(), Direction.BACKWARD.laneName()));

    private Settings() {}

    /** Every setting, in file order. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /**
     * The config reference as a Markdown table ({@code key | type | default | description}), one row per
     * setting; the README holds a copy between {@code <!-- settings:start -->} and {@code <!-- settings:end -->}.
     */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | description |\n");
        sb.append("| --- | --- | --- | --- |\n");
        for (Setting<?> s : ALL) {
            String def = s.isRequired() ? "**required**" : s.defaultDoc() == null ? "-" : s.defaultDoc();
            sb.append("| `").append(s.key()).append("` | ").append(cell(s.type())).append(" | ").append(cell(def))
                    .append(" | ").append(cell(s.description() == null ? "" : s.description())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * Records an "unknown key" problem (with a did-you-mean hint) for every key of the file that no setting
     * declares, and a problem for a section that is not a map.
     */
    static void checkKeys(YamlNode root) {
        KeyTree tree = new KeyTree();
        for (Setting<?> s : ALL) {
            KeyTree level = tree;
            for (String segment : s.key().split("\\.")) {
                level = level.children.computeIfAbsent(segment, k -> new KeyTree());
            }
        }
        checkKeys(root, tree);
    }

    private static void checkKeys(YamlNode node, KeyTree tree) {
        Map<String, KeyTree> known = new LinkedHashMap<>();
        tree.children.forEach((segment, sub) -> {
            for (String key : PLACEHOLDERS.getOrDefault(segment, List.of(segment))) {
                known.put(key, sub);
            }
        });
        node.checkKeys(known.keySet());
        for (String key : node.keys()) {
            KeyTree sub = known.get(key);
            YamlNode child = node.get(key);
            if (sub != null && !sub.children.isEmpty() && child.isSet() && child.expectMap()) {
                checkKeys(child, sub);
            }
        }
    }

    /** The declared keys as a tree of segments; a setting is a leaf. */
    private static final class KeyTree {
        final Map<String, KeyTree> children = new LinkedHashMap<>();
    }

    private static String defaultSlotName(Setting.Scope scope) {
        if (scope.bridgeName() == null) {
            return null;
        }
        return "graybridge_" + scope.bridgeName().replace('-', '_') + "_" + scope.lane().source().id();
    }
}
