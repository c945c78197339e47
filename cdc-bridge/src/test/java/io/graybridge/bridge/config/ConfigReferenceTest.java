package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's config reference in step with {@link Settings}. Each run writes the generated table
 * to {@code cdc-bridge/target/settings-table.md}; with {@code -Dgraybridge.updateReadme=true} it also
 * rewrites the README's section between the markers.
 */
class ConfigReferenceTest {
    static final String START = "<!-- settings:start -->";
    static final String END = "<!-- settings:end -->";
    static final String REGENERATE = "mvn -B -o test -pl cdc-bridge -am -Dtest=ConfigReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dgraybridge.updateReadme=true";

    @Test
    void shouldKeepTheReadmeConfigReferenceInStepWithTheSettings() throws IOException {
        String section = START + "\n" + Settings.markdownTable() + END + "\n";
        Path generated = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "settings-table.md");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, section);

        Path root = RepoRoot.withReadme();
        if (root == null) {
            fail("README.md not found next to the parent pom.xml (" + RepoRoot.find() + "). Its config reference is"
                    + " generated from Settings: paste " + generated + " into README.md, or add the lines " + START
                    + " and " + END + " to it and run: " + REGENERATE);
        }
        Path readme = root.resolve("README.md");
        String text = Files.readString(readme);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start < 0 || end < start) {
            fail(readme + " has no " + START + " ... " + END + " section for the config reference. Add the two"
                    + " lines where the table belongs and run: " + REGENERATE + " (or paste " + generated + ")");
        }
        String updated = text.substring(0, start) + section.stripTrailing() + text.substring(end + END.length());
        if (Boolean.getBoolean("graybridge.updateReadme")) {
            if (!updated.equals(text)) {
                Files.writeString(readme, updated);
            }
            return;
        }
        assertThat(text.substring(start, end + END.length()))
                .as("the config reference in %s is out of date; regenerate it with: %s", readme, REGENERATE)
                .isEqualTo(section.stripTrailing());
    }
}
