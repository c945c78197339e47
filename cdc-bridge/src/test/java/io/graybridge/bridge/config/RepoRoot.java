package io.graybridge.bridge.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root folder from the test's working directory. */
final class RepoRoot {
    private RepoRoot() {}

    /** The top-most ancestor of the working directory that holds a pom.xml (the parent project). */
    static Path find() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path top = null;
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml"))) {
                top = d;
            }
        }
        if (top == null) {
            throw new IllegalStateException("no pom.xml above " + dir);
        }
        return top;
    }

    /** The nearest ancestor that holds both pom.xml and README.md, or {@code null}. */
    static Path withReadme() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isRegularFile(d.resolve("README.md"))) {
                return d;
            }
        }
        return null;
    }
}
