package io.graybridge.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML file, composed into a node tree whose values know their line and column.
 *
 * <p>Reading never throws: an unreadable file, a syntax error (with the line snakeyaml reports), a
 * duplicate key or a non-scalar key is recorded in the {@link ProblemCollector}, and {@link #root()} is
 * then a missing node (or the tree as far as it is usable). Callers read everything through
 * {@link YamlNode}, then call {@link ProblemCollector#throwIfAny}.
 *
 * <p>A document is used by one thread at a time.
 */
public final class YamlDocument {
    private final String file;
    private final Map<String, String> env;
    private final ProblemCollector problems;
    private final Node rootNode;
    private final boolean parsed;
    private final Map<Node, EnvSubstitution.Result> substituted = new IdentityHashMap<>();

    private YamlDocument(String file, Map<String, String> env, ProblemCollector problems, Node rootNode, boolean parsed) {
        this.file = file;
        this.env = env;
        this.problems = problems;
        this.rootNode = rootNode;
        this.parsed = parsed;
    }

    /**
     * Reads and composes {@code file} (UTF-8).
     *
     * @param file the file; problems name it as given (so a relative path stays relative)
     * @param env the variables {@code ${VAR}} in scalar values are replaced from (usually {@code System.getenv()})
     * @param problems where problems of this file are recorded
     */
    public static YamlDocument read(Path file, Map<String, String> env, ProblemCollector problems) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add(name, 0, 0, "cannot read file: " + reason(e), null);
            return new YamlDocument(name, env, problems, null, false);
        }
        return parse(name, text, env, problems);
    }

    /** Composes {@code text} as if it were the content of a file called {@code fileName}. */
    public static YamlDocument parse(String fileName, String text, Map<String, String> env, ProblemCollector problems) {
        Objects.requireNonNull(fileName, "fileName");
        Map<String, String> environment = Collections.unmodifiableMap(new HashMap<>(Objects.requireNonNull(env, "env")));
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : "unreadable YAML";
            if (e.getContext() != null) {
                what = what + " (" + e.getContext() + ")";
            }
            problems.add(fileName, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    "YAML syntax error: " + what, "check the indentation and quoting around this line");
            return new YamlDocument(fileName, environment, problems, null, false);
        } catch (YAMLException e) {
            problems.add(fileName, 0, 0, "YAML syntax error: " + e.getClass().getSimpleName(), null);
            return new YamlDocument(fileName, environment, problems, null, false);
        }
        YamlDocument doc = new YamlDocument(fileName, environment, problems, root, true);
        if (root != null) {
            doc.checkStructure(root, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return doc;
    }

    /** The file as named by the caller. */
    public String file() {
        return file;
    }

    /** Whether the file was read and is well-formed YAML (it may still be empty). */
    public boolean isParsed() {
        return parsed;
    }

    /** Whether the document has no content (also true when it could not be read or parsed). */
    public boolean isEmpty() {
        return rootNode == null;
    }

    /** The top node; a missing node at line 1 when the document is empty or broken. */
    public YamlNode root() {
        return rootNode == null ? YamlNode.missing(this, "", 1, 1) : YamlNode.of(this, rootNode, "", null);
    }

    public ProblemCollector problems() {
        return problems;
    }

    Map<String, String> env() {
        return env;
    }

    EnvSubstitution.Result substitute(ScalarNode node) {
        return substituted.computeIfAbsent(node, n -> EnvSubstitution.apply(node.getValue(), env));
    }

    // Duplicate keys and complex keys are errors in an operator's file; snakeyaml's composer allows them.
    private void checkStructure(Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode map) {
            Map<String, Node> keys = new HashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                Node key = tuple.getKeyNode();
                if (key instanceof ScalarNode scalar) {
                    Node first = keys.putIfAbsent(scalar.getValue(), key);
                    if (first != null) {
                        problems.add(file, line(key), column(key), "duplicate key '" + scalar.getValue() + "'",
                                "it is already set at line " + line(first) + "; keep one");
                    }
                } else {
                    problems.add(file, line(key), column(key), "a key must be a plain name, not a list or a map", null);
                }
                checkStructure(tuple.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                checkStructure(item, seen);
            }
        }
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static int column(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1;
    }

    /** A reason for an I/O failure that names no content: safe to show for secret files too. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not valid UTF-8";
        }
        String message = e.getMessage();
        if (message != null && message.contains("Is a directory")) {
            return "is a directory";
        }
        return e.getClass().getSimpleName();
    }
}
