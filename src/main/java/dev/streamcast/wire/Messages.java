package dev.streamcast.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What the readers of the output messages share: their timestamps and optional numbers. */
final class Messages {

    private Messages() {
    }

    /** The ISO-8601 {@code "timestamp"} of a message, in epoch ms. */
    static long timestamp(JsonNode node) {
        String text = node.path("timestamp").asText(null);
        if (text == null) {
            throw new IllegalArgumentException("no \"timestamp\" in " + node);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"timestamp\" is not ISO-8601: '" + text + "'", e);
        }
    }

    /** The number field {@code name}, NaN when absent or not a number. */
    static double number(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
