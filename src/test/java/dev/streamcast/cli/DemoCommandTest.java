package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoPrintsForecastsAndAFirstTrainedModelAppearsWithinAMinute() {
        CommandLineTest.Run run = CommandLineTest.run("demo", "--duration", "40", "--rate", "4",
                "--set", "embedded.kafka.port=0", "--set", "embedded.kafka.dir=" + dir.resolve("kafka"),
                "--set", "kafka.state.dir=" + dir.resolve("state"), "--set", "http.port=0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("(naive v0)"), "naive forecasts first:\n" + run.out());
        assertTrue(run.out().contains("(lstm v1)"), "then a trained model:\n" + run.out());
        for (String sensor : new String[] {"freezer-temperature", "barometer-pressure-hpa", "energy-meter-kwh"}) {
            assertTrue(run.out().contains(sensor), sensor);
        }
    }
}
