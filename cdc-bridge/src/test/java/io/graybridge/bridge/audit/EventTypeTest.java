package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EventTypeTest {
    @Test
    void shouldHaveASchemaAndASampleInTheRepoForEveryEventType() throws IOException {
        Path docs = null;
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null && docs == null; d = d.getParent()) {
            docs = java.nio.file.Files.isDirectory(d.resolve("docs/audit/schemas")) ? d.resolve("docs/audit") : null;
        }
        assertThat(docs).as("docs/audit above the working directory").isNotNull();
        ObjectMapper json = new ObjectMapper();
        for (EventType t : EventType.values()) {
            JsonNode schema = json.readTree(docs.resolve("schemas").resolve(t.schemaFile()).toFile());
            assertThat(schema.path("$id").asText()).as("$id of %s", t.schemaFile()).isEqualTo(t.dataSchema());
            JsonNode sample = json.readTree(docs.resolve("samples").resolve(t.schemaFile().replace(".v1.json", ".json")).toFile());
            assertThat(sample.path("type").asText()).isEqualTo(t.type());
            assertThat(sample.path("dataschema").asText()).isEqualTo(t.dataSchema());
            assertThat(EventType.ofType(t.type().substring("io.graybridge.".length()))).isEqualTo(t);
        }
    }
}
