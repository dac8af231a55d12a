package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A mapping that cannot work is one line and exit code 2, before the broker starts or a directory is created. */
@Tag("unit")
class InputMappingConfigTest {

    @TempDir
    Path dir;

    @Test
    // A value let through would start the service, which runs until stopped.
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBadMappingIsRefusedInOneLineBeforeAnythingStarts() {
        String[][] mistakes = {
            {"input.format=xml", "input.format"},
            {"input.format=json|input.json.values=temperature", "input.json.values"},
            {"input.format=json|input.json.sensor=/a|input.json.values=/a", "input.json.values"},
            {"input.format=csv|input.csv.columns=sensor,time", "input.csv.columns"},
            {"input.format=csv|input.timestamp.unit=minutes", "input.timestamp.unit"},
            {"input.json.sensor=/device", "input.json.sensor"},
        };
        Path kafka = dir.resolve("kafka");
        Path state = dir.resolve("state");
        for (String[] mistake : mistakes) {
            List<String> args = new ArrayList<>(List.of("run", "--set", "embedded.kafka.dir=" + kafka, "--set",
                    "kafka.state.dir=" + state, "--set", "embedded.kafka.port=0"));
            for (String setting : mistake[0].split("\\|")) {
                args.add("--set");
                args.add(setting);
            }
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().contains(mistake[1]), run.err());
            assertFalse(run.err().contains("\tat "), run.err());
            assertFalse(Files.exists(kafka), mistake[0] + ": the broker started");
            assertFalse(Files.exists(state), mistake[0] + ": the state directory was created");
        }
    }
}
