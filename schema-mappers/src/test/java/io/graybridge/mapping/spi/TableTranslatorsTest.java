package io.graybridge.mapping.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTranslatorsTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void shouldUseTheTranslatorTheMappingFileNames() throws IOException {
        TableMapping m = MappingFiles.load(file("""
                tables:
                  - v1: people
                    v2: persons
                    translator: reversed-name
                """), Map.of()).tables().get(0);
        Row v1 = Row.of(Map.of("id", 1L, "name", "Ada Lovelace"));
        Row v2 = m.translate(Direction.FORWARD, v1);
        assertThat(v2).isEqualTo(Row.of(Map.of("id", 1L, "display", "Lovelace, Ada")));
        assertThat(m.translate(Direction.BACKWARD, v2)).isEqualTo(v1);
        assertThat(m.v2Table()).isEqualTo("persons");
    }

    @Test
    void shouldListTheAvailableTranslatorsWhenTheNamedOneIsMissing() throws IOException {
        Path f = file("""
                tables:
                  - v1: people
                    translator: reversed-names
                """);
        assertThatThrownBy(() -> MappingFiles.load(f, Map.of()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(3);
                    assertThat(p.message()).isEqualTo("no table translator named 'reversed-names' was found on the classpath");
                    assertThat(p.hint()).startsWith("did you mean 'reversed-name'? available: identity, reversed-name;");
                }));
    }

    @Test
    void shouldNameTableAndTranslatorWhenItFails() {
        TableTranslator t = new ReversedNameTranslator();
        assertThatThrownBy(() -> TableTranslators.adapt(t, Direction.FORWARD, "people -> persons")
                        .translate(Row.of(Map.of("name", "Plato"))))
                .isInstanceOf(MappingException.class)
                .hasMessage("table people -> persons (translator 'reversed-name', v1-to-v2): name Plato has no space");
    }

    @Test
    void shouldReportANullResultAsABugOfTheTranslator() {
        TableTranslator broken = new TableTranslator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Row forward(Row v1Row) {
                return null;
            }

            @Override
            public Row backward(Row v2Row) {
                return v2Row;
            }
        };
        assertThatThrownBy(() -> TableTranslators.adapt(broken, Direction.FORWARD, "t").translate(Row.empty()))
                .hasMessageContaining("returned null v1-to-v2; it must return a row (Row.empty() for 'no counterpart')");
    }

    @Test
    void shouldRegisterEveryBuiltInImplementation() throws IOException, URISyntaxException {
        Path classes = Path.of(TableTranslator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> implementations;
        try (Stream<Path> files = Files.walk(classes)) {
            implementations = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(TableTranslatorsTest::isTranslator)
                    .sorted()
                    .toList();
        }
        List<String> registered = Files.readAllLines(
                        classes.resolve("META-INF/services/io.graybridge.mapping.spi.TableTranslator"))
                .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
        assertThat(implementations).isNotEmpty().containsExactlyElementsOf(registered);
    }

    private static boolean isTranslator(String className) {
        try {
            Class<?> c = Class.forName(className, false, TableTranslatorsTest.class.getClassLoader());
            return TableTranslator.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                    && Modifier.isPublic(c.getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
