/**
 * Line-aware YAML reading for operator files (bridge config, mapping files).
 *
 * <p>{@link io.graybridge.yaml.YamlDocument} composes a file with snakeyaml into a node tree in which
 * every value knows its file, line and column; {@link io.graybridge.yaml.YamlNode}'s typed accessors
 * record a {@link io.graybridge.error.Problem} in a {@link io.graybridge.yaml.ProblemCollector} instead of
 * throwing, so a loader reads the whole file, collects every problem and throws one
 * {@link io.graybridge.error.ProblemsException} at the end. {@code ${VAR}} and {@code ${VAR:-default}} in
 * scalar values are replaced from a supplied environment map.
 *
 * <p>Shared by schema-mappers (mapping files) and cdc-bridge (bridge config); not meant for application
 * code outside GrayBridge.
 */
package io.graybridge.yaml;
