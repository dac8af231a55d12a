package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.service.TopicCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamcast score} through the command line main() runs: its answers to a user's mistakes, and to a broker
 * where nothing was forecast. Scoring real forecasts is {@link LiveQualityTest}'s.
 */
@Tag("broker")
class ScoreCommandTest {

    @TempDir
    Path dir;

    /** Two sensors of five readings: with window.length 3, six forecasts and four accuracy records are due. */
    private Path history() throws IOException {
        return Files.writeString(dir.resolve("history.csv"), """
                sensor,timestamp,value
                a,2000-01-01T00:00:00Z,1
                a,2000-01-02T00:00:00Z,2
                a,2000-01-03T00:00:00Z,3
                a,2000-01-04T00:00:00Z,4
                a,2000-01-05T00:00:00Z,5
                b,2000-01-01T00:00:00Z,10
                b,2000-01-02T00:00:00Z,20
                b,2000-01-03T00:00:00Z,30
                b,2000-01-04T00:00:00Z,40
                b,2000-01-05T00:00:00Z,50
                """);
    }

    @Test
    void aFractionOutsideZeroToOneIsOneLineAndExitCodeTwo() throws IOException {
        CliRun.of("score", "--data", history().toString(), "--key",
                "sensor", "--score-from", "1.5").assertUserError("--score-from");
    }

    @Test
    void aTimeoutThatIsNotADurationIsOneLineAndExitCodeTwo() throws IOException {
        CliRun.of("score", "--data", history().toString(), "--key",
                "sensor", "--timeout", "soon").assertUserError("--timeout", "soon");
    }

    @Test
    void spikesCannotBeInjectedIntoWhatTheServiceWasSentAndTheHelpSaysSo() throws IOException {
        CliRun help = CliRun.of("score", "--help");
        assertEquals(0, help.exitCode(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("There is no --spikes"), help.out());
        assertTrue(text.contains("coverage and width, the anomaly rate"), help.out());
        CliRun spikes = CliRun.of("score", "--data", history().toString(), "--key", "sensor",
                "--spikes", "3");
        assertEquals(2, spikes.exitCode(), spikes.out() + spikes.err());
        assertTrue(spikes.err().contains("--spikes"), spikes.err());
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwoBeforeAnyConnection() {
        CliRun.of("score", "--data", dir.resolve("nope.csv").toString()).assertUserError("nope.csv: no such file");
    }

    @Test
    @Tag("broker")
    void onABrokerWithoutTheTopicsItIsOneLineAndWithNothingForecastItCountsTheMissingAndExitsOne() throws Exception {
        try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dir.resolve("kafka"))) {
            String bootstrap = "kafka.bootstrap.servers=" + broker.bootstrapServers();
            CliRun.of("score", "--data", history().toString(), "--key",
                    "sensor", "--set", bootstrap).assertUserError("topic 'sensor-forecasts' does not exist");

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicCreator.createMissing(admin, broker.bootstrapServers(), Topics.from(StreamcastConfig.defaults()),
                        2,
                        (short) 1, null);
            }
            Path json = dir.resolve("score.json");
            CliRun run = CliRun.of("score", "--data", history().toString(), "--key", "sensor",
                    "--set", bootstrap, "--timeout", "2s", "--json", json.toString());
            assertEquals(1, run.exitCode(), run.out() + run.err());
            assertTrue(run.out().contains("INCOMPLETE after 2s: 6 forecasts and 4 accuracy records missing"),
                    run.out());
            assertTrue(run.out().contains("median skill over the series: n/a"), run.out());
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertEquals(6, report.path("completeness").path("missingForecasts").asInt());
            assertEquals(2, report.path("series").size());
            assertEquals(0, report.path("series").path(0).path("forecasts").asInt());
            // The interval columns are there, empty: nothing was scored, and score injects no spikes.
            JsonNode a = report.path("series").path(0);
            for (String field : List.of("coverage", "meanWidth", "naiveWidth", "anomalyRate", "floorShare",
                    "modelSkill", "spikeRecall")) {
                assertTrue(a.has(field) && a.path(field).isNull(), field + " in " + a);
            }
            assertEquals(0, a.path("spikes").asInt());
            assertTrue(run.out().contains("coverage  mean_width naive_width  anomaly  floor   spikes"), run.out());
        }
    }
}
