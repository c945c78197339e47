package io.graybridge.bridge.config;

import io.graybridge.bridge.config.Setting.Scope;
import io.graybridge.bridge.deadletter.DeadLetterPolicy;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.yaml.ProblemCollector;
import io.graybridge.yaml.YamlDocument;
import io.graybridge.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and validates a bridge config file (see {@code config/bridge.yaml} and {@link Settings}).
 *
 * <p>Validation collects every problem (unknown keys with a hint, wrong types and ranges, missing required
 * keys, unset environment variables, unreadable password files, and every problem of the mapping file,
 * which keep their own file and line) and throws them together. Secrets are read into {@link Secret}s and
 * never appear in a problem or in {@link #describeEffective}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Loads {@code file}.
     *
     * @param env the environment for {@code ${VAR}} substitution and {@code password-env} (usually
     *     {@code System.getenv()})
     * @throws ProblemsException with {@link ErrorCode#CONFIG_INVALID}, listing every problem
     */
    public static BridgeConfig load(Path file, Map<String, String> env) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        ProblemCollector problems = new ProblemCollector();
        YamlDocument doc = YamlDocument.read(file, env, problems);
        if (!doc.isParsed()) {
            problems.throwIfAny(ErrorCode.CONFIG_INVALID, file.toString());
        }
        YamlNode root = doc.root();
        if (doc.isEmpty()) {
            root.problem("the config file is empty", "start from config/bridge.yaml");
            problems.throwIfAny(ErrorCode.CONFIG_INVALID, file.toString());
        }
        Settings.checkKeys(root);

        String name = Settings.BRIDGE_NAME.read(root, Scope.top(null));
        Scope top = Scope.top(name);
        String metadataSchema = Settings.METADATA_SCHEMA.read(root, top);

        Map<Side, SideConfig> sides = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            sides.put(side, side(root, top.forSide(side), file, env));
        }

        List<TableMapping> tables = tables(root, top, file, env, problems);

        Map<Direction, LaneConfig> lanes = new EnumMap<>(Direction.class);
        for (Direction direction : Direction.values()) {
            lanes.put(direction, lane(root, top.forLane(direction)));
        }
        checkDistinct(root, top, lanes);
        String conflictPolicy = Settings.CONFLICT_POLICY.read(root, top);

        Boolean nullEqualsEmpty = Settings.NULL_EQUALS_EMPTY.read(root, top);
        List<String> masked = Settings.MASKED_COLUMNS.read(root, top);
        Integer catchUp = Settings.CATCH_UP_TIMEOUT.read(root, top);
        BridgeConfig.Verify verify = new BridgeConfig.Verify(Boolean.TRUE.equals(Settings.VERIFY_ENABLED.read(root, top)),
                orZero(Settings.VERIFY_DELAY_MS.read(root, top)), orZero(Settings.VERIFY_QUEUE.read(root, top)));
        BridgeConfig.Gate gate = new BridgeConfig.Gate(orZero(Settings.GATE_MAX_DRIFT_AGE.read(root, top)),
                orZero(Settings.GATE_MAX_LAG.read(root, top)), orZero(Settings.GATE_MAX_CONFLICTS.read(root, top)),
                orZero(Settings.GATE_MAX_DEAD_LETTERS.read(root, top)), orZero(Settings.GATE_MAX_ERRORS.read(root, top)));

        AuditConfig audit = audit(root, top, file, masked == null ? java.util.Set.of() : new java.util.TreeSet<>(masked));
        Integer httpPort = Settings.HTTP_PORT.read(root, top);
        BridgeConfig.Http http = new BridgeConfig.Http(httpPort, Settings.HTTP_BIND_ADDRESS.read(root, top),
                secret(root, top, file, env, Settings.HTTP_TOKEN_ENV, Settings.HTTP_TOKEN_FILE, null, "http token", ""),
                orZero(Settings.HTTP_READY_MAX_LAG.read(root, top)));

        checkEngines(root, top, sides, lanes, conflictPolicy);

        problems.throwIfAny(ErrorCode.CONFIG_INVALID, file.toString());
        return new BridgeConfig(file, name, metadataSchema, sides.get(Side.V1), sides.get(Side.V2), tables, lanes,
                conflictPolicy, Boolean.TRUE.equals(nullEqualsEmpty), masked == null ? java.util.Set.of() : new java.util.TreeSet<>(masked),
                java.time.Duration.ofSeconds(orZero(catchUp)), verify, gate,
                audit, http);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static AuditConfig audit(YamlNode root, Scope top, Path file, java.util.Set<String> masked) {
        String bootstrap = Settings.AUDIT_BOOTSTRAP.read(root, top);
        String changes = Settings.AUDIT_CHANGES_TOPIC.read(root, top);
        String conflicts = Settings.AUDIT_CONFLICTS_TOPIC.read(root, top);
        String lifecycle = Settings.AUDIT_LIFECYCLE_TOPIC.read(root, top);
        Integer partitions = Settings.AUDIT_PARTITIONS.read(root, top);
        Integer replication = Settings.AUDIT_REPLICATION.read(root, top);
        AuditConfig.Masking masking = Settings.AUDIT_MASKING.read(root, top);
        String salt = Settings.AUDIT_HASH_SALT.read(root, top);
        Integer batch = Settings.AUDIT_RELAY_BATCH.read(root, top);
        AuditConfig.Protocol protocol = Settings.AUDIT_PROTOCOL.read(root, top);
        String mechanism = Settings.AUDIT_SASL_MECHANISM.read(root, top);
        String user = Settings.AUDIT_SASL_USERNAME.read(root, top);
        String password = Settings.AUDIT_SASL_PASSWORD.read(root, top);
        String truststore = Settings.AUDIT_TRUSTSTORE.read(root, top);
        String truststorePassword = Settings.AUDIT_TRUSTSTORE_PASSWORD.read(root, top);
        String keystore = Settings.AUDIT_KEYSTORE.read(root, top);
        String keystorePassword = Settings.AUDIT_KEYSTORE_PASSWORD.read(root, top);
        boolean enabled = bootstrap != null && !bootstrap.isEmpty();
        if (enabled && masking == AuditConfig.Masking.HASH && (salt == null || salt.isEmpty())) {
            Settings.AUDIT_MASKING.node(root, top).problem("'audit.masking: hash' needs 'audit.hash-salt'",
                    "add audit.hash-salt: ${AUDIT_SALT} (a secret from the environment), or use mask or drop");
        }
        boolean sasl = protocol == AuditConfig.Protocol.SASL_PLAINTEXT || protocol == AuditConfig.Protocol.SASL_SSL;
        if (enabled && sasl && (user == null || password == null)) {
            Settings.AUDIT_PROTOCOL.node(root, top).problem("'audit.security-protocol: "
                    + YamlNode.enumName(protocol) + "' needs audit.sasl-username and audit.sasl-password",
                    "set both, the password best as ${ENV_VAR}");
        }
        if (!sasl && user != null) {
            Settings.AUDIT_SASL_USERNAME.node(root, top).problem("audit.sasl-username is set but"
                    + " audit.security-protocol is not sasl-plaintext or sasl-ssl", "set the protocol, or remove the SASL settings");
        }
        for (String store : new String[] {truststore, keystore}) {
            if (store != null && !Files.isRegularFile(file.resolveSibling(store))) {
                (store == truststore ? Settings.AUDIT_TRUSTSTORE : Settings.AUDIT_KEYSTORE).node(root, top)
                        .problem("file '" + file.resolveSibling(store) + "' does not exist",
                                "the path is relative to the config file's folder");
            }
        }
        AuditConfig.KafkaSecurity security = new AuditConfig.KafkaSecurity(
                protocol == null ? AuditConfig.Protocol.PLAINTEXT : protocol,
                sasl && mechanism == null ? "PLAIN" : mechanism, user, Secret.of(password),
                truststore == null ? null : file.resolveSibling(truststore), Secret.of(truststorePassword),
                keystore == null ? null : file.resolveSibling(keystore), Secret.of(keystorePassword));
        return new AuditConfig(enabled, enabled ? bootstrap : null, changes, conflicts, lifecycle, partitions,
                replication == null ? null : replication.shortValue(), masked,
                masking == null ? AuditConfig.Masking.MASK : masking, Secret.of(salt), batch == null ? 500 : batch,
                security);
    }

    private static SideConfig side(YamlNode root, Scope scope, Path file, Map<String, String> env) {
        String url = Settings.JDBC_URL.read(root, scope);
        String user = Settings.USER.read(root, scope);
        Secret password = password(root, scope, file, env);
        String schema = Settings.SCHEMA.read(root, scope);
        Integer poolSize = Settings.POOL_SIZE.read(root, scope);
        return new SideConfig(scope.side(), url, user, password, schema, poolSize == null ? 0 : poolSize);
    }

    /** At most one of password-env, password-file and password; none means no password. */
    private static Secret password(YamlNode root, Scope scope, Path file, Map<String, String> env) {
        return secret(root, scope, file, env, Settings.PASSWORD_ENV, Settings.PASSWORD_FILE, Settings.PASSWORD,
                "password", " for side " + scope.side().id());
    }

    /**
     * A secret from at most one of an environment variable ({@code envSetting}), a file ({@code fileSetting})
     * and the value itself ({@code valueSetting}, {@code null} when not offered); none given means none.
     *
     * @param what names the secret in problems, e.g. {@code password}
     * @param owner whose secret it is, for problems, e.g. {@code " for side v1"}, or empty
     */
    private static Secret secret(YamlNode root, Scope scope, Path file, Map<String, String> env,
            Setting<String> envSetting, Setting<String> fileSetting, Setting<String> valueSetting, String what,
            String owner) {
        List<Setting<String>> sources = valueSetting == null ? List.of(envSetting, fileSetting)
                : List.of(envSetting, fileSetting, valueSetting);
        List<Setting<String>> given = sources.stream().filter(s -> s.node(root, scope).isSet()).toList();
        if (given.size() > 1) {
            YamlNode second = given.get(1).node(root, scope);
            List<String> names = sources.stream().map(s -> s.key().substring(s.key().lastIndexOf('.') + 1)).toList();
            second.problem("set only one of " + String.join(", ", names.subList(0, names.size() - 1)) + " and "
                    + names.get(names.size() - 1) + owner, "remove all but one");
            return Secret.none();
        }
        if (given.isEmpty()) {
            return Secret.none();
        }
        Setting<String> source = given.get(0);
        YamlNode node = source.node(root, scope);
        String value = source.read(root, scope);
        if (value == null) {
            return Secret.none();
        }
        if (source == envSetting) {
            String secret = env.get(value);
            if (secret == null || secret.isEmpty()) {
                node.problem("environment variable '" + value + "' (" + node.path() + ") is "
                        + (secret == null ? "not set" : "empty"), "export " + value + " before starting the bridge");
                return Secret.none();
            }
            return Secret.of(secret);
        }
        if (source == fileSetting) {
            Path path = file.resolveSibling(value);
            try {
                String content = Files.readString(path);
                content = content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                        : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
                if (content.isEmpty()) {
                    node.problem(what + " file '" + path + "' (" + node.path() + ") is empty", null);
                    return Secret.none();
                }
                return Secret.of(content);
            } catch (IOException e) {
                node.problem("cannot read " + what + " file '" + path + "' (" + node.path() + "): " + YamlDocument.reason(e),
                        "the path is relative to the config file's folder");
                return Secret.none();
            }
        }
        return Secret.of(value);
    }

    private static List<TableMapping> tables(
            YamlNode root, Scope top, Path file, Map<String, String> env, ProblemCollector problems) {
        List<String> names = Settings.TABLES.read(root, top);
        String mappingPath = Settings.MAPPING.read(root, top);
        MappingSet mappings = new MappingSet(List.of());
        if (mappingPath != null) {
            Path mappingFile = file.resolveSibling(mappingPath);
            YamlNode node = Settings.MAPPING.node(root, top);
            if (!Files.isRegularFile(mappingFile)) {
                node.problem("mapping file '" + mappingFile + "' does not exist",
                        "the path is relative to the config file's folder");
            } else {
                mappings = MappingFiles.read(mappingFile, env, problems); // its problems keep their own file and line
            }
        }
        List<TableMapping> tables = new ArrayList<>();
        if (names == null) {
            return tables;
        }
        Map<String, String> v2Owner = new HashMap<>();
        YamlNode tablesNode = Settings.TABLES.node(root, top);
        for (String table : names) {
            List<TableMapping> parts = new ArrayList<>(mappings.forTableAll(Side.V1, table));
            if (parts.isEmpty()) {
                parts.add(MappingFiles.identity(table));
            }
            Optional<TableGroup> merge = MappingSet.group(parts.get(0)).filter(g -> g.kind() == TableGroup.Kind.MERGE);
            if (merge.isPresent()) {
                // one table of a merge brings the others: the v2 table's changes concern all of them
                parts = mappings.forTableAll(Side.V2, merge.get().wholeTable());
            }
            for (TableMapping mapping : parts) {
                if (tables.contains(mapping)) {
                    continue; // a merge part listed too
                }
                String other = v2Owner.putIfAbsent(mapping.v2Table(), table);
                if (other != null && !other.equals(table) && merge.isEmpty()) {
                    tablesNode.problem("tables '" + other + "' and '" + table + "' both map to v2 table '"
                                    + mapping.v2Table() + "'",
                            "a listed table without a mapping entry keeps its name on v2; check the mapping file");
                }
                tables.add(mapping);
            }
        }
        return tables;
    }

    /**
     * What each engine can do: a JDBC URL of a supported engine; on a MariaDB or MySQL target no one-way {@code
     * latest-wins} (they keep no commit time of a row version; with both lanes on, stamps from capture decide).
     */
    private static void checkEngines(YamlNode root, Scope top, Map<Side, SideConfig> sides,
            Map<Direction, LaneConfig> lanes, String conflictPolicy) {
        Map<Side, io.graybridge.bridge.db.Dialect> dialects = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            String url = sides.get(side).jdbcUrl();
            if (url == null) {
                continue;
            }
            try {
                dialects.put(side, io.graybridge.bridge.db.Dialect.forUrl(url));
            } catch (io.graybridge.error.GrayBridgeException e) {
                String m = e.getMessage();
                int k = m.indexOf("': ");
                Settings.JDBC_URL.node(root, top.forSide(side)).problem(k < 0 ? m : m.substring(0, k + 1),
                        k < 0 ? null : m.substring(k + 3));
            }
        }
        for (Direction d : Direction.values()) {
            LaneConfig lane = lanes.get(d);
            LaneConfig reverse = lanes.get(d.reverse());
            io.graybridge.bridge.db.Dialect target = dialects.get(d.target());
            if (lane == null || !lane.enabled() || target == null || target == io.graybridge.bridge.db.Dialect.POSTGRESQL) {
                continue;
            }
            // with both lanes on, latest-wins decides by stamps computed by capture (ARCHITECTURE.md, "Conflicts");
            // only one-way sync still compares the target's commit times
            if ("latest-wins".equals(conflictPolicy) && (reverse == null || !reverse.enabled())) {
                Settings.CONFLICT_POLICY.node(root, top).problem("conflict policy latest-wins in one-way sync needs the"
                                + " commit time of the target's current row, which " + target.displayName()
                                + " does not keep, and " + d.target().id() + " (" + target.displayName()
                                + ") is the target of lane " + d.laneName() + " while lane " + d.reverse().laneName()
                                + " is off",
                        "enable lane " + d.reverse().laneName() + " too (two-way latest-wins decides by stamps from"
                                + " capture), or use primary-wins, v1-wins or v2-wins");
            }
        }
    }

    private static void checkDistinct(YamlNode root, Scope top, Map<Direction, LaneConfig> lanes) {
        LaneConfig forward = lanes.get(Direction.FORWARD);
        LaneConfig backward = lanes.get(Direction.BACKWARD);
        if (forward.slotName() != null && forward.slotName().equals(backward.slotName())) {
            Settings.SLOT_NAME.node(root, top.forLane(Direction.BACKWARD))
                    .problem("both lanes use replication slot '" + forward.slotName() + "'", "give each lane its own slot-name");
        }
        if (forward.publicationName() != null && forward.publicationName().equals(backward.publicationName())) {
            Settings.PUBLICATION_NAME.node(root, top.forLane(Direction.BACKWARD))
                    .problem("both lanes use publication '" + forward.publicationName() + "'",
                            "give each lane its own publication-name");
        }
    }

    private static LaneConfig lane(YamlNode root, Scope scope) {
        Boolean enabled = Settings.LANE_ENABLED.read(root, scope);
        String slot = Settings.SLOT_NAME.read(root, scope);
        Scope withSlot = scope.with(Settings.SLOT_NAME, slot);
        String publication = Settings.PUBLICATION_NAME.read(root, withSlot);
        LaneConfig.SnapshotMode snapshot = Settings.SNAPSHOT.read(root, scope);
        Integer batchSize = Settings.BATCH_SIZE.read(root, scope);
        Integer pollInterval = Settings.POLL_INTERVAL_MS.read(root, scope);
        Integer readAhead = Settings.READ_AHEAD.read(root, scope.with(Settings.BATCH_SIZE, batchSize));
        if (readAhead != null && batchSize != null && readAhead < batchSize) {
            Settings.READ_AHEAD.node(root, scope).problem("'" + Settings.READ_AHEAD.key(scope) + "' is " + readAhead
                    + ", less than the lane's batch-size " + batchSize + ": capture could not read one batch ahead",
                    "set read-ahead to at least batch-size (default: 10 x batch-size), or leave it out");
        }
        DeadLetterPolicy.Action onError = Settings.DEAD_LETTER_POLICY.read(root, scope);
        Map<String, DeadLetterPolicy.Action> perTable = Settings.DEAD_LETTER_TABLES.read(root, scope);
        return new LaneConfig(scope.lane(), Boolean.TRUE.equals(enabled), slot, publication, snapshot,
                batchSize == null ? 0 : batchSize, pollInterval == null ? 0 : pollInterval,
                new DeadLetterPolicy(onError == null ? DeadLetterPolicy.Action.PAUSE : onError,
                        perTable == null ? Map.of() : perTable), readAhead == null ? 0 : readAhead);
    }

    /**
     * The effective configuration (defaults filled in) as YAML-like text for logs and
     * {@code graybridge config validate}. Passwords are masked, as are password-like parameters of a JDBC URL.
     */
    public static String describeEffective(BridgeConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append("# effective configuration from ").append(config.file()).append(" (secrets masked)\n");
        sb.append("bridge:\n");
        sb.append("  name: ").append(config.name()).append('\n');
        sb.append("  metadata-schema: ").append(config.metadataSchema()).append('\n');
        sb.append("sides:\n");
        for (Side side : Side.values()) {
            SideConfig s = config.side(side);
            sb.append("  ").append(side.id()).append(":\n");
            sb.append("    jdbc-url: ").append(maskUrl(s.jdbcUrl())).append('\n');
            sb.append("    user: ").append(s.user()).append('\n');
            sb.append("    password: ").append(s.password()).append('\n');
            sb.append("    schema: ").append(s.schema()).append('\n');
            sb.append("    pool-size: ").append(s.poolSize()).append('\n');
        }
        sb.append("tables:\n");
        for (TableMapping t : config.tables()) {
            sb.append("  - ").append(t.v1Table()).append(" -> ").append(t.v2Table())
                    .append("   # ").append(t.origin()).append('\n');
        }
        sb.append("lanes:\n");
        for (Direction d : Direction.values()) {
            LaneConfig l = config.lane(d);
            sb.append("  ").append(l.name()).append(":\n");
            sb.append("    enabled: ").append(l.enabled()).append('\n');
            sb.append("    slot-name: ").append(l.slotName()).append('\n');
            sb.append("    publication-name: ").append(l.publicationName()).append('\n');
            sb.append("    snapshot: ").append(YamlNode.enumName(l.snapshot())).append('\n');
            sb.append("    batch-size: ").append(l.batchSize()).append('\n');
            sb.append("    poll-interval-ms: ").append(l.pollIntervalMillis()).append('\n');
            sb.append("    read-ahead: ").append(l.readAhead()).append('\n');
            sb.append("    dead-letters:\n");
            sb.append("      policy: ").append(l.deadLetters().defaultAction().id()).append('\n');
            sb.append("      tables: ").append(l.deadLetters().perTable().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue().id()).sorted()
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"))).append('\n');
        }
        sb.append("conflicts:\n");
        sb.append("  policy: ").append(config.conflictPolicy()).append('\n');
        sb.append("reconcile:\n");
        sb.append("  null-equals-empty: ").append(config.nullEqualsEmpty()).append('\n');
        sb.append("  catch-up-timeout-seconds: ").append(config.catchUpTimeout().toSeconds()).append('\n');
        sb.append("verify:\n");
        sb.append("  enabled: ").append(config.verify().enabled()).append('\n');
        sb.append("  delay-ms: ").append(config.verify().delayMillis()).append('\n');
        sb.append("  queue-capacity: ").append(config.verify().queueCapacity()).append('\n');
        BridgeConfig.Gate g = config.gate();
        sb.append("gate:\n");
        sb.append("  max-drift-age-seconds: ").append(g.maxDriftAgeSeconds()).append('\n');
        sb.append("  max-lag-seconds: ").append(g.maxLagSeconds()).append('\n');
        sb.append("  max-open-conflicts: ").append(g.maxOpenConflicts()).append('\n');
        sb.append("  max-dead-letters: ").append(g.maxDeadLetters()).append('\n');
        sb.append("  max-errors: ").append(g.maxErrors()).append('\n');
        BridgeConfig.Http http = config.http();
        sb.append("http:\n");
        sb.append("  port: ").append(http.enabled() ? http.port().toString() : "off").append('\n');
        sb.append("  bind-address: ").append(http.bindAddress()).append('\n');
        sb.append("  token: ").append(http.token()).append('\n');
        sb.append("  ready-max-lag-seconds: ").append(http.readyMaxLagSeconds()).append('\n');
        sb.append("report:\n");
        sb.append("  masked-columns: ").append(new java.util.TreeSet<>(config.maskedColumns())).append('\n');
        AuditConfig a = config.audit();
        sb.append("audit:\n");
        if (!a.enabled()) {
            sb.append("  bootstrap-servers: (none: audit is off)\n");
        } else {
            sb.append("  bootstrap-servers: ").append(a.bootstrapServers()).append('\n');
            sb.append("  topics: {changes: ").append(a.changesTopic()).append(", conflicts: ").append(a.conflictsTopic())
                    .append(", lifecycle: ").append(a.lifecycleTopic()).append("}\n");
            sb.append("  topic-partitions: ").append(a.partitions() == null ? "(broker default)" : a.partitions()).append('\n');
            sb.append("  topic-replication-factor: ")
                    .append(a.replicationFactor() == null ? "(broker default)" : a.replicationFactor()).append('\n');
            sb.append("  masking: ").append(YamlNode.enumName(a.masking())).append('\n');
            sb.append("  hash-salt: ").append(a.hashSalt()).append('\n');
            sb.append("  relay-batch-size: ").append(a.relayBatchSize()).append('\n');
            AuditConfig.KafkaSecurity k = a.security();
            sb.append("  security-protocol: ").append(YamlNode.enumName(k.protocol())).append('\n');
            if (k.saslUsername() != null) {
                sb.append("  sasl-mechanism: ").append(k.saslMechanism()).append('\n');
                sb.append("  sasl-username: ").append(k.saslUsername()).append('\n');
                sb.append("  sasl-password: ").append(k.saslPassword()).append('\n');
            }
            if (k.truststore() != null) {
                sb.append("  ssl-truststore-location: ").append(k.truststore()).append('\n');
                sb.append("  ssl-truststore-password: ").append(k.truststorePassword()).append('\n');
            }
            if (k.keystore() != null) {
                sb.append("  ssl-keystore-location: ").append(k.keystore()).append('\n');
                sb.append("  ssl-keystore-password: ").append(k.keystorePassword()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Masks the values of password-, secret-, token- and key-like URL parameters. */
    static String maskUrl(String url) {
        return url.replaceAll("(?i)([?&;][^=&;]*(password|secret|token|key)[^=&;]*=)[^&;]*", "$1****");
    }
}
