/**
 * Declarative mapping files: the YAML an operator writes to say how v1 tables and columns become v2 ones.
 *
 * <p>Entry point: {@link io.graybridge.mapping.yaml.MappingFiles#load}. A file declares, per table, the
 * v1 and v2 names and column rules (rename, convert, default, drop, map, compute, split, merge, pack-json,
 * unpack-json), a Java translator, or a table split or merge; columns it does not mention pass through
 * under the same name. {@link io.graybridge.mapping.yaml.MappingDescriptions#plan} tells a schema
 * validator which columns each loaded mapping reads and writes.
 *
 * <p>The format is versioned ({@code version: 1}, the default) and closed: every key is checked, so new
 * rule kinds are additions that cannot change the meaning of an existing file.
 */
package io.graybridge.mapping.yaml;
