package io.graybridge.bridge.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Audit events as text for people ({@code graybridge audit tail}, the demo). */
public final class AuditText {
    private AuditText() {}

    /** One readable line per event: time, short type, subject, then what happened. */
    public static String line(JsonNode e) {
        String type = e.path("type").asText().replaceFirst("^io\\.graybridge\\.", "");
        JsonNode d = e.path("data");
        StringBuilder sb = new StringBuilder();
        sb.append(e.path("time").asText()).append("  ").append(String.format(Locale.ROOT, "%-17s", type))
                .append(' ').append(e.path("subject").asText());
        switch (type) {
            case "change.applied" -> {
                JsonNode decision = d.path("decision");
                sb.append("  ").append(d.path("lane").asText()).append(' ').append(d.path("operation").asText())
                        .append(" -> ").append(decision.path("action").asText());
                if (!decision.path("conflict").isNull() && !decision.path("conflict").isMissingNode()) {
                    sb.append(" (conflict ").append(decision.path("conflict").asText()).append(", ")
                            .append(decision.path("winner").asText()).append(" won)");
                }
                JsonNode row = d.path("after").isNull() || d.path("after").isMissingNode() ? d.path("before") : d.path("after");
                sb.append("  ").append(row);
            }
            case "conflict.resolved" -> sb.append("  ").append(d.path("lane").asText()).append(' ')
                    .append(d.path("kind").asText()).append(" on ").append(d.path("columns")).append(", policy ")
                    .append(d.path("policy").asText()).append(": ").append(d.path("winner").asText()).append(" wins");
            default -> sb.append("  ").append(d);
        }
        sb.append("  [id ").append(e.path("id").asText()).append(']');
        return sb.toString();
    }
}
