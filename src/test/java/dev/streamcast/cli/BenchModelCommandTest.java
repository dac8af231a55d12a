package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench model --model}: a model document's own figures, and a bad file's one line. The run's times are
 * never asserted, only that each was measured.
 */
@Tag("unit")
class BenchModelCommandTest {

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BenchModelCommandTest.class.getResource("/bench/" + name).toURI());
    }

    @Test
    void aModelDocumentIsTimedOnItsOwnWindowAndItsFiguresWritten() throws Exception {
        Path json = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "model", "--model", resource("lstm-long-window.json").toString(),
                "--quick", "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("lstm-long-window.json") && run.out().contains("window 40 x 1")
                && run.out().contains("1,961 parameters"), run.out());
        assertTrue(run.out().contains("forecast one window") && run.out().contains("one Adam step"), run.out());
        assertFalse(run.out().contains("seed fit") || run.out().contains("MISSED"), run.out());
        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertTrue(figures.path("model").asText().contains("lstm-long-window.json"), figures.toString());
        assertEquals(40, figures.path("window_length").asInt());
        assertEquals(1, figures.path("features").asInt());
        assertEquals(1961, figures.path("parameters").asLong());
        for (String figure : List.of("forecast_one_us", "forecast_batch_us_per_window", "train_step_batch1_us")) {
            assertTrue(figures.path(figure).isNumber() && figures.path(figure).asDouble() > 0,
                    figure + " in " + figures);
        }
        assertTrue(figures.path("forecast_one_alloc_bytes_per_op").isNumber(), figures.toString());
        assertFalse(figures.has("seed_fit_ms"), figures.toString());
        assertTrue(figures.path("quick").asBoolean(), figures.toString());
    }

    @Test
    void aBadModelFileIsOneLineAndExitCodeTwoBeforeJmhStarts() throws Exception {
        CliRun.of("bench", "model", "--model", dir.resolve("nope.json").toString())
                .assertUserError("nope.json", "no such file");
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"format\": \"streamcast-model/1\", ");
        CliRun.of("bench", "model", "--model", notJson.toString(), "--quick").assertUserError("broken.json");
        Path twoOutputs = Files.writeString(dir.resolve("two.json"), "{\"format\":\"streamcast-model/1\","
                + "\"layers\":[{\"type\":\"lstm\",\"units\":4,\"inputShape\":[5,1]},"
                + "{\"type\":\"dense\",\"units\":2}]}");
        CliRun.of("bench", "model", "--model", twoOutputs.toString()).assertUserError("two.json", "1 value");
        CliRun.of("bench", "model", "--model", resource("lstm-long-window.json").toString(), "--json",
                dir.resolve("no/such/dir/out.json").toString()).assertUserError("--json", "does not exist");
    }

    @Test
    void theStreamsDrainWantsReadingsBeyondTheWindowAndTheJar() throws Exception {
        CliRun.of("bench", "model", "--model", resource("lstm-long-window.json").toString(), "--stream-readings",
                "500").assertUserError("--stream-readings 500", "80 per sensor", "800 over 10 sensors");
        // The tests run from target/classes, not from a jar.
        CliRun.of("bench", "model", "--model", resource("lstm-long-window.json").toString(), "--stream-readings",
                "800").assertUserError("--stream-readings", "not run from a jar");
    }
}
