package dev.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.SensorStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** The offline commands, run through the same command line main() runs. */
@Tag("unit")
public class CommandLineTest {

    @TempDir
    Path dir;


    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** The seed's model trained on the seed's series, as m.json. */
    private Path trainedSeedModel() throws IOException {
        Path model = dir.resolve("m.json");
        assertEquals(0, CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--out",
                model.toString()).exitCode());
        return model;
    }

    private Path seedCsv() throws IOException {
        return write("seed.csv", "value\n1\n2\n3\n4\n5\n6\n7\n");
    }


    @Test
    void summaryOfTheSeedArchitectureShowsKerasParameterCounts() {
        CliRun run = CliRun.of("summary", "--model", "config/model.json");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("lstm (LSTM)") && run.out().contains("480"), run.out());
        assertTrue(run.out().contains("dense1 (Dense)") && run.out().contains("55"), run.out());
        assertTrue(run.out().contains("Total params: 557"), run.out());
    }

    @Test
    void trainingOnTheSeedSeriesThenPredictingFiveSixSevenGivesAboutEight() throws IOException {
        Path model = dir.resolve("seed-model.json");
        CliRun train = CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--seed", "3",
                "--out", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch 100/100"), train.out());
        assertTrue(train.out().contains("4 training samples"), train.out());

        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--window", "5,6,7");
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(8.0, Double.parseDouble(predict.out().strip()), 0.05);

        CliRun json = CliRun.of("predict", "--model", model.toString(), "--window", "105,106,107", "--json");
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertEquals(108.0, node.path("forecast").asDouble(), 0.5);
        assertEquals(1, node.path("modelVersion").asInt());

        // trained again from its weights, it becomes version 2 with version 1 as its parent
        Path next = dir.resolve("next.json");
        CliRun again = CliRun.of("train", "--model", model.toString(), "--data", seedCsv().toString(), "--epochs", "2",
                "--out", next.toString());
        assertEquals(0, again.exitCode(), again.err());
        JsonNode doc = new ObjectMapper().readTree(next.toFile());
        assertEquals(2, doc.path("version").asInt());
        assertEquals(1, doc.path("training").path("parentVersion").asInt());
    }

    @Test
    void evaluateReplaysEachSeriesAgainstTheNaiveForecast() throws IOException {
        Path model = trainedSeedModel();
        StringBuilder csv = new StringBuilder("time,sensor,reading\n");
        for (int i = 0; i < 10; i++) {
            csv.append(i).append(",up,").append(100 + 2 * i).append('\n');
            csv.append(i).append(",down,").append(-3 * i).append('\n');
        }
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--data",
                write("two.csv", csv.toString()).toString(),
                "--key", "sensor");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(4, lines.length, run.out());
        assertTrue(lines[1].startsWith("up ") && lines[1].contains(" 7 "), run.out());
        assertTrue(lines[2].startsWith("down "), run.out());
        assertTrue(lines[3].startsWith("overall") && lines[3].contains(" 14 "), run.out());
        // the rising trend the model learned from 1..7 it continues at level 100: far better than the naive forecast
        String[] up = lines[1].trim().split("\\s+");
        assertTrue(Double.parseDouble(up[6]) > 0.9, run.out());
        assertEquals(2.0, Double.parseDouble(up[4]), 1e-9, "the naive forecast is 2 off at every step");
        String[] down = lines[2].trim().split("\\s+");
        assertEquals(3.0, Double.parseDouble(down[5]), 1e-9);
    }

    @Test
    void evaluateLearnsEachSeriesLocalCorrectionAsTheStreamDoesUnlessDisabled() throws IOException {
        Path model = trainedSeedModel();
        // a sensor that returns most of the way to its level at every reading, which the seed's model never saw
        StringBuilder csv = new StringBuilder("reading\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        double x = 50;
        for (int i = 0; i < 1500; i++) {
            x = 50 + 0.3 * (x - 50) + 3 * (random.nextDouble() - 0.5);
            csv.append(x).append('\n');
        }
        Path data = write("reverting.csv", csv.toString());
        CliRun corrected = CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString());
        CliRun alone = CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(),
                "--correction-readings",
                "0");
        assertEquals(0, corrected.exitCode(), corrected.err());
        assertEquals(0, alone.exitCode(), alone.err());
        double correctedRmse = Double.parseDouble(corrected.out().strip().split("\n")[1].trim().split("\\s+")[2]);
        double aloneRmse = Double.parseDouble(alone.out().strip().split("\n")[1].trim().split("\\s+")[2]);
        assertTrue(correctedRmse < 0.95 * aloneRmse, corrected.out() + alone.out());
        // by default, the stream's own correction memory (the bundled forecast.correction.readings)
        String streamDefault = dev.streamcast.config.StreamcastConfig.defaults().get(EvaluateCommand.CORRECTION_KEY);
        assertEquals(corrected.out(), CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(),
                "--correction-readings", streamDefault).out());
        assertNotEquals(corrected.out(), CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(),
                "--correction-readings", "1000").out(), "the option is not ignored");
        CliRun.of("evaluate", "--model", model.toString(), "--data", data.toString(), "--correction-readings",
                "-1").assertUserError("--correction-readings");
    }

    @Test
    void aSeriesWithoutAHeaderLineTrainsOnEveryValue() throws IOException {
        // 1..7 without the header: seven values, four windows of three with the value after each (a lost first
        // row would leave three)
        CliRun train = CliRun.of("train", "--model", "config/model.json", "--data",
                write("bare.csv", "1\n2\n3\n4\n5\n6\n7\n")
                .toString(), "--epochs", "1", "--out", dir.resolve("bare.json").toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("4 training samples"), train.out());
        CliRun.of("train", "--model", "config/model.json", "--data", write("mixed.csv", "a,1\nb,2\n")
                .toString()).assertUserError("mixed.csv", "line 1", "add a header line");
    }

    @Test
    void anUnknownFlagIsOneLineNamingTheFlag() {
        CliRun.of("train", "--model", "config/model.json", "--data", "x.csv", "--epoch", "3")
                .assertUserError("--epoch");
        CliRun.of("predict", "--model", "m.json").assertUserError("--window");
        CliRun.of("train", "--model", "config/model.json", "--data", "x.csv", "--epochs", "many")
                .assertUserError("many");
    }

    @Test
    void badCsvCellsAreRefusedNamingFileLineAndColumn() throws IOException {
        Path out = dir.resolve("never.json");
        Path bad = write("bad.csv", "time,value\n1,1\n2,2\n3,abc\n4,4\n5,5\n");
        CliRun.of("train", "--model", "config/model.json", "--data", bad.toString(), "--column", "value",
                "--out", out.toString()).assertUserError("bad.csv", "line 4", "'value'", "'abc'");
        Path nan = write("nan.csv", "value\n1\n2\nNaN\n4\n5\n");
        CliRun.of("train", "--model", "config/model.json", "--data", nan.toString(), "--out", out.toString())
                .assertUserError("nan.csv", "line 4", "not a finite number");
        Path shortSeries = write("short.csv", "value\n1\n2\n3\n");
        CliRun.of("train", "--model", "config/model.json", "--data", shortSeries.toString(), "--out",
                out.toString()).assertUserError("short.csv", "3 values", "at least 4");
        CliRun.of("train", "--model", "config/model.json", "--data", dir.resolve("missing.csv").toString())
                .assertUserError("missing.csv", "no such file");
        CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--column", "nope")
                .assertUserError("--column", "'nope'");
        CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--epochs", "0")
                .assertUserError("epochs");
        assertFalse(Files.exists(out), "no output file is written on a refusal");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void predictTakesTheSensorsHistoryBeforeItsWindowAsTheStreamWouldKeepIt() throws IOException {
        Path model = dir.resolve("m.json");
        assertEquals(0, CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--epochs",
                "5",
                "--out", model.toString()).exitCode());
        Forecaster forecaster = ModelCodec.decode(Files.readAllBytes(model), 0);
        double[] history = {9, 1, 4, 5, 6, 7};
        CliRun withHistory = CliRun.of("predict", "--model", model.toString(), "--window", "9,1,4,5,6,7");
        assertEquals(0, withHistory.exitCode(), withHistory.err());
        assertEquals(forecaster.forecast(new double[] {5, 6, 7}, SensorStats.of(history)),
                Double.parseDouble(withHistory.out().strip()), 1e-12);
        // the window alone is a sensor whose history is the window
        CliRun alone = CliRun.of("predict", "--model", model.toString(), "--window", "5,6,7");
        assertEquals(forecaster.forecast(new double[] {5, 6, 7}, SensorStats.of(new double[] {5, 6, 7})),
                Double.parseDouble(alone.out().strip()), 1e-12);
    }

    @Test
    void badModelsAndWindowsAreRefusedInOneLine() throws IOException {
        Path model = dir.resolve("m.json");
        assertEquals(0, CliRun.of("train", "--model", "config/model.json", "--data", seedCsv().toString(), "--epochs",
                "1",
                "--out", model.toString()).exitCode());
        CliRun.of("predict", "--model", model.toString(), "--window", "5,6")
                .assertUserError("--window", "expected at least 3 values");
        CliRun.of("predict", "--model", model.toString(), "--window", "5,x,7").assertUserError("--window", "'x'");
        CliRun.of("predict", "--model", model.toString(), "--window", "5,Infinity,7")
                .assertUserError("not a finite number");
        CliRun.of("predict", "--model", "config/model.json", "--window", "5,6,7").assertUserError("without weights");
        Path broken = write("broken.json", "{\"format\": \"streamcast-model/1\", \"layers\": [");
        CliRun.of("summary", "--model", broken.toString()).assertUserError("broken.json", "malformed JSON");
        Path badActivation = write("act.json", Files.readString(Path.of("config/model.json"))
                .replace("\"relu\"", "\"rleu\""));
        CliRun.of("summary", "--model", badActivation.toString()).assertUserError("layers[0].activation", "rleu");
        CliRun.of("summary", "--model", dir.resolve("nothing.json").toString()).assertUserError("no such file");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : commandNames(StreamcastCommand.commandLine(), "")) {
            CliRun run = CliRun.of((command + " --help").trim().split(" "));
            assertEquals(0, run.exitCode(), command);
            assertTrue(run.out().contains("Usage: streamcast " + command), run.out());
        }
    }

    @Test
    void helpListsEveryCommandAndEachCommandItsSubcommands() {
        CommandLine root = StreamcastCommand.commandLine();
        assertTrue(commandNames(root, "").size() >= 10, "commands: " + commandNames(root, ""));
        assertListsItsSubcommands(root, CliRun.of("--help").out());
        CliRun bench = CliRun.of("bench", "--help");
        assertTrue(bench.out().contains("'bench model'") && bench.out().contains("'bench e2e'"),
                "the top-level description of bench names both: " + CliRun.of("--help").out());
        assertListsItsSubcommands(root.getSubcommands().get("bench"), bench.out());
    }

    private static void assertListsItsSubcommands(CommandLine command, String help) {
        for (String name : command.getSubcommands().keySet()) {
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + name + " ")), name + " missing from:\n" + help);
        }
    }

    /** Every command and subcommand, as typed after "streamcast", e.g. "run", "bench e2e" (help excluded). */
    private static List<String> commandNames(CommandLine command, String prefix) {
        List<String> names = new ArrayList<>();
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                names.add(prefix + name);
                names.addAll(commandNames(sub, prefix + name + " "));
            }
        });
        return names;
    }

    @Test
    void everyOptionValueHasAnUpperCasePlaceholder() {
        List<String> wrong = new ArrayList<>();
        for (CommandLine command : allCommands(StreamcastCommand.commandLine())) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                String label = option.paramLabel();
                if (option.arity().max() > 0 && !label.matches("[A-Z][A-Z0-9_]*(=[A-Z][A-Z0-9_]*)?|V1,V2,\\.\\.\\.")) {
                    wrong.add(command.getCommandSpec().qualifiedName() + " " + option.longestName() + "=" + label);
                }
            }
        }
        assertEquals(List.of(), wrong, "placeholders are upper-case words such as FILE, N, SECONDS");
    }

    private static List<CommandLine> allCommands(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().values().forEach(sub -> all.addAll(allCommands(sub)));
        return all;
    }

    @Test
    void versionIsTheProjectVersionFromThePom() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>streamcast</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the project's version in pom.xml");
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("streamcast " + m.group(1), run.out().strip());
    }

    @Test
    // A value let through would start the service, which runs until stopped.
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWrongConfigurationValueIsRefusedBeforeTheBrokerStartsOrADirectoryIsCreated() {
        String[][] mistakes = {
            {"window.length=abc", "window.length"},
            {"retrain.every=banana", "retrain.every"},
            {"topics.partitions=0", "topics.partitions"},
            {"http.port=99999", "http.port"},
            {"embedded.kafka.port=-1", "embedded.kafka.port"},
            {"model.initial=" + dir.resolve("absent.json"), "model.initial"},
            {"kafka.num.stream.threads=abc", "kafka.num.stream.threads"},
            {"kafka.processing.guarantee=twice", "kafka.processing.guarantee"},
            {"kafka.bootstrap.server=localhost:9092", "kafka.bootstrap.server"},
            {"kafka.producer.acks=maybe", "acks"},
            {"startup.kafka-timeout=soon", "startup.kafka-timeout"},
        };
        Path kafka = dir.resolve("kafka");
        Path state = dir.resolve("state");
        for (String command : new String[] {"run", "demo"}) {
            for (String[] mistake : mistakes) {
                // the mistake last: of two --set of one key, the later wins
                CliRun run = CliRun.of(command, "--set", "embedded.kafka.dir=" + kafka, "--set", "kafka.state.dir="
                        + state,
                        "--set", "embedded.kafka.port=0", "--set", mistake[0]);
                run.assertUserError(mistake[1]);
                // The embedded broker creates and formats its directory first thing: absent, it never started.
                assertFalse(Files.exists(kafka), command + " " + mistake[0] + ": the broker started");
                assertFalse(Files.exists(state), command + " " + mistake[0] + ": the state directory was created");
            }
        }
    }
}
