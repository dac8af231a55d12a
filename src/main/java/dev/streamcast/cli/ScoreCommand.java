package dev.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.backtest.BacktestTable;
import dev.streamcast.backtest.Completeness;
import dev.streamcast.backtest.SensorReading;
import dev.streamcast.backtest.ServiceOutputsReader.LiveScore;
import dev.streamcast.backtest.ServiceOutputsReader;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.cli.runtime.KafkaClientProperties;
import dev.streamcast.config.ConfigException;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.StreamcastConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast score}: scores what a live service published for a CSV (typically one 'replay' sent), the way
 * 'backtest' scores its in-process run, so the two can be compared figure by figure.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Reads the forecasts and accuracy topics of a running service from the beginning "
                + "(read_committed), keeps the CSV's sensors, waits until every reading of the CSV that is due a "
                + "forecast and an accuracy record has them (or --timeout), and prints the same per-series table as "
                + "'backtest'. Kafka is configured as for 'run' and 'replay'.",
                "The intervals' coverage and width, the anomaly rate, the floor's share and, when the service's "
                        + "forecast.horizon is above 1, the skill and coverage per step are scored as in 'backtest'. "
                        + "There is no --spikes: the readings are the service's, and spikes cannot be injected into "
                        + "them after the fact (replay a CSV with spikes in it to test the anomaly rule live).",
                "Retrainings come from the models topic: accepted models only, without their stream time.",
                "Exit code 0 when every record came, 1 when some were still missing at the timeout."})
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ReadingsOptions input;

    @Mixin
    ConfigOptions configuration;

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "10m",
            description = "How long to wait for missing records, e.g. 30s, 10m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        double scoreFrom = scoring.scoreFrom();
        Duration wait;
        try {
            wait = StreamcastConfig.parseDuration("--timeout", timeout);
        } catch (ConfigException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        StreamcastConfig config = configuration.load();
        ForecastSettings settings = ForecastSettings.from(config);
        List<SensorReading> readings = input.read();
        Properties kafka = KafkaClientProperties.of(config);
        String bootstrap = kafka.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("score of %s: %,d readings; forecasts from '%s', accuracy from '%s', models from '%s' on Kafka at "
                        + "%s (read_committed, from the beginning)%n", input.data, readings.size(),
                settings.topics().forecasts(), settings.topics().accuracy(), settings.topics().models(), bootstrap);
        out.flush();
        LiveScore score;
        try {
            score = new ServiceOutputsReader(kafka, settings, line -> {
                err.println("score: " + line);
                err.flush();
            }).read(readings, scoreFrom, wait);
        } catch (KafkaException | IllegalStateException e) {
            throw new UserInputException("cannot read the service's topics on Kafka at " + bootstrap
                    + " (see kafka.bootstrap.servers): " + e.getMessage(), e);
        }
        Completeness c = score.completeness();
        if (c.complete()) {
            out.printf("every due record came: no forecast or accuracy record missing; %d duplicate forecasts, "
                    + "%d duplicate accuracy records%n", c.duplicateForecasts(), c.duplicateAccuracy());
        } else {
            out.printf("INCOMPLETE after %s: %,d forecasts and %,d accuracy records missing (refused readings, or the "
                    + "service is behind); scored what came%n", timeout, c.missingForecasts(), c.missingAccuracy());
        }
        BacktestTable.print(score.report(), out);
        out.println("(retrainings from the models topic: accepted models only, no stream time; it is compacted, so "
                + "older versions may be gone)");
        out.flush();
        if (scoring.json != null) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.valueToTree(score.report());
            node.set("completeness", mapper.valueToTree(c));
            ReportFiles.writeJson(scoring.json, node);
            out.printf("wrote %s%n", scoring.json);
            out.flush();
        }
        return c.complete() ? 0 : 1;
    }
}
