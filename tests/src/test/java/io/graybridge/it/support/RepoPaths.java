package io.graybridge.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths inside the repository, found from the tests' working directory. */
public final class RepoPaths {
    private RepoPaths() {}

    /** The repository root: the nearest directory upwards holding both pom.xml and config/. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("config"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }

    public static Path config() {
        return root().resolve("config");
    }
}
