package dev.streamcast.cli;

import dev.streamcast.bench.e2e.EndToEndBenchmark;
import dev.streamcast.bench.e2e.EndToEndReport;
import dev.streamcast.bench.e2e.EndToEndResult;
import dev.streamcast.bench.e2e.EndToEndSettings;
import dev.streamcast.cli.files.ReportFiles;
import dev.streamcast.cli.files.UserInputException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamcast bench e2e}: throughput and latency of the real service against the embedded broker. */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = {"Runs the forecasting service against an embedded broker in this JVM: throughput against a "
                + "passthrough topology and against the service's data flow without its work, on 1,000,000 preloaded "
                + "readings after unmeasured rounds of as many (the JIT's warm-up, at most three), the same readings "
                + "again with retraining on and no initial model (the pace drain), and latency from reading produced "
                + "to forecast consumed at 5,000 readings/s over 1,000 sensors, with at_least_once and "
                + "exactly_once_v2, without and during a retraining. About 8-10 minutes.",
            "--json writes passthrough_rps, forecast_rps, records_per_reading, bytes_per_reading, pace_rps, "
                + "retrain_start_lag_samples, trained_forecast_share, and p50_ms, p99_ms, p99_retrain_ms of "
                + "exactly_once_v2 (the service's default), then every figure per guarantee."})
final class BenchE2eCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A tenth of the load (100,000 readings; 6 s per latency figure at the "
            + "same rate): done within two minutes, wider error.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    @Override
    public void run() {
        if (json != null) {
            ReportFiles.checkWritable(json);
        }
        EndToEndSettings load = quick ? EndToEndSettings.quickLoad() : EndToEndSettings.fullLoad();
        EndToEndResult result = EndToEndBenchmark.run(load);
        spec.commandLine().getOut().print(EndToEndReport.formatTable(result));
        spec.commandLine().getOut().flush();
        if (json != null) {
            try {
                EndToEndReport.writeJson(result, json);
            } catch (IOException e) {
                throw new UserInputException("--json " + json + ": cannot write: " + e.getMessage(), e);
            }
        }
    }
}
