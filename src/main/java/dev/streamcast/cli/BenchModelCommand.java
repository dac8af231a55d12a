package dev.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.bench.e2e.BacklogBenchmark;
import dev.streamcast.bench.e2e.BacklogReport;
import dev.streamcast.bench.e2e.BacklogResult;
import dev.streamcast.bench.e2e.BacklogService;
import dev.streamcast.bench.e2e.BacklogSettings;
import dev.streamcast.bench.engine.BenchedShape;
import dev.streamcast.bench.engine.BenchmarkResult;
import dev.streamcast.bench.engine.BenchmarkRunner;
import dev.streamcast.cli.files.ModelFiles;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast bench model}: the JMH benchmarks of the LSTM engine, run from the jar. JMH's progress goes to
 * stderr; the table of figures (and with --json the file) is the command's output. With {@code --model}, the
 * model document is read here first, so a bad file is one line and exit code 2 before JMH starts.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Benchmarks forecasting one window, a batch of 1,024 windows, one Adam step and the seed's fit; "
                + "with --model, the same for that model (its own window), without the seed's fit; with "
                + "--stream-readings, then the stream's readings/s with it.")
final class BenchModelCommand implements Runnable {

    /** The stream's drain spreads its readings over few sensors, so each has many beyond its window. */
    static final int STREAM_SENSORS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer, shorter iterations: done within a minute, wider error.")
    boolean quick;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A model document (as 'streamcast import' or 'streamcast train' writes it) to time instead "
                    + "of the seed, on random windows of its own input (T x F); the seed's targets do not apply.")
    Path model;

    @Option(names = "--stream-readings", paramLabel = "N",
            description = "Then also the stream's readings/s with the model: N readings over "
                    + STREAM_SENSORS + " sensors drained by a fresh service JVM, as 'bench backlog --model' "
                    + "(from the jar only; a few minutes for a large model).")
    Long streamReadings;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write model, window_length, features, parameters, forecast_one_us, "
                    + "forecast_batch_us_per_window, train_step_batch1_us, seed_fit_ms (the seed only) and, with "
                    + "--stream-readings, stream (readings_per_s, service_cpu_us_per_reading, ...) as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        if (json != null) {
            ReportFiles.checkWritable(json);
        }
        BenchedShape shape = BenchedShape.SEED;
        ModelDocument doc = null;
        if (model != null) {
            doc = ModelFiles.readDocument(model);
            Forecaster forecaster = ModelFiles.toForecaster(model, doc, 0);
            shape = BenchedShape.of(model.getFileName() + " (" + forecaster.modelId() + ")", false, forecaster);
        }
        BacklogSettings stream = streamReadings == null ? null : streamSettings(shape, doc);
        BenchmarkResult result = BenchmarkRunner.run(model, shape, quick, System.err);
        PrintWriter out = spec.commandLine().getOut();
        out.print(BenchmarkRunner.formatTable(result));
        out.flush();
        BacklogResult drain = null;
        if (stream != null) {
            try {
                drain = BacklogBenchmark.run(stream);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            out.print(formatStream(drain));
            out.flush();
        }
        if (json != null) {
            ObjectNode figures;
            try {
                figures = (ObjectNode) JSON.readTree(BenchmarkRunner.toJson(result));
                if (drain != null) {
                    figures.set("stream", JSON.readTree(BacklogReport.toJson(drain)));
                }
            } catch (IOException e) {
                throw new IllegalStateException("the figures' own JSON did not parse", e);
            }
            ReportFiles.writeJson(json, figures);
        }
    }

    /** The drain of --stream-readings, checked before JMH starts: the jar to start the service from, the load. */
    private BacklogSettings streamSettings(BenchedShape shape, ModelDocument doc) {
        long perSensor = (long) shape.windowLength() * 2;
        if (streamReadings < perSensor * STREAM_SENSORS) {
            throw new UserInputException("--stream-readings " + streamReadings + ": at least " + perSensor
                    + " per sensor (twice the window), " + perSensor * STREAM_SENSORS + " over " + STREAM_SENSORS
                    + " sensors, so most readings are forecast by the model");
        }
        Path jar = BenchBacklogCommand.runningJar();
        if (jar == null) {
            throw new UserInputException("--stream-readings: this command does not run from a jar, and the stream's "
                    + "drain starts the service from it (mvn -B -DskipTests package builds target/streamcast.jar)");
        }
        String features = doc == null || doc.features() == null ? null : String.join(",", doc.features());
        return new BacklogSettings(streamReadings, STREAM_SENSORS, true, jar.toAbsolutePath(), null,
                new BacklogService(List.of(), List.of(), model == null ? null : model.toAbsolutePath(),
                        model == null ? 0 : shape.windowLength(), features));
    }

    /** The stream's figures under the engine's. */
    private static String formatStream(BacklogResult r) {
        return String.format(Locale.ROOT, "the stream with this model (a fresh service JVM drains %,d readings over %d "
                        + "sensors, as 'bench backlog'):%n  %,.0f readings/s, service CPU %.1f us per reading, "
                        + "broker %.1f us; other processes took %s of the machine%n",
                r.settings().readings(), r.settings().sensors(), r.readingsPerSecond(), r.serviceCpuUsPerReading(),
                r.brokerCpuUsPerReading(), Double.isNaN(r.otherCpuShare()) ? "an unknown share"
                        : String.format(Locale.ROOT, "%.0f%%", 100 * r.otherCpuShare()));
    }
}
