package dev.streamcast.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What the Node.js peer reports on its last line of output, e.g. {@code {"forecasts":996000,"seconds":49.7,
 * "rps":20040}}: the forecasts it wrote, the seconds from its first batch to its last forecast, and their rate.
 */
public record PeerResult(long forecasts, double seconds, double rps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the peer's report from the last non-blank line of its output.
     *
     * @throws IllegalArgumentException if that line is not such a report
     */
    static PeerResult parse(String output) {
        String last = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").trim();
        JsonNode node;
        try {
            node = JSON.readTree(last);
        } catch (IOException e) {
            throw new IllegalArgumentException("the peer's last line is not its JSON report: " + last, e);
        }
        if (node == null || !node.isObject() || !node.path("forecasts").isNumber()
                || !node.path("seconds").isNumber() || !node.path("rps").isNumber()) {
            throw new IllegalArgumentException("the peer's report lacks forecasts, seconds or rps: " + last);
        }
        return new PeerResult(node.get("forecasts").asLong(), node.get("seconds").asDouble(),
                node.get("rps").asDouble());
    }
}
