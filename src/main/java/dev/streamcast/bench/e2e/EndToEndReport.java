package dev.streamcast.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What {@code streamcast bench e2e} shows: the figures against their targets, as a table and as JSON. */
public final class EndToEndReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "%-44s %18s  %-24s %s%n";

    private EndToEndReport() {
    }

    /** The human table: each figure against its target, and the load it was measured under. */
    public static String formatTable(EndToEndResult r) {
        EndToEndSettings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, FORMAT, "end to end (embedded broker, this JVM)", "result", "target", ""));
        sb.append(String.format(Locale.ROOT, "throughput: %,d preloaded readings over %,d sensors, %s%n",
                s.readings(), s.sensors(), r.throughputGuarantee()));
        row(sb, "  passthrough (copy each reading)", String.format(Locale.ROOT, "%,.0f rec/s", r.passthroughRps()),
                "", "");
        row(sb, "  data flow alone (2 copies, sample batches)", String.format(Locale.ROOT, "%,.0f rec/s",
                r.dataFlowRps()), "", "");
        row(sb, "  forecasting service (all outputs)", String.format(Locale.ROOT, "%,.0f rec/s", r.forecastRps()),
                "", "");
        row(sb, "    (readings answered, trainer still behind)",
                String.format(Locale.ROOT, "%,.0f rec/s", r.forecastReadingsRps()), "", "");
        row(sb, "  CPU per reading (this JVM, broker included)", String.format(Locale.ROOT, "%.1f / %.1f / %.1f us",
                r.passthroughCpuUs(), r.dataFlowCpuUs(), r.forecastCpuUs()), "passthrough / data flow / forecasting",
                "");
        row(sb, "  forecasting CPU per reading", String.format(Locale.ROOT, "%.1f us", r.forecastCpuUs()),
                String.format(Locale.ROOT, "<= %.0f us", EndToEndResult.CPU_US_TARGET),
                verdict(r.forecastCpuUs() <= EndToEndResult.CPU_US_TARGET));
        row(sb, "    of which the JIT compiler (still warming up)", String.format(Locale.ROOT, "%.1f us",
                r.forecastJitCpuUs()), "", "");
        row(sb, "  records written per reading (all topics)", String.format(Locale.ROOT, "%.2f",
                r.recordsPerReading()), "(changelogs included)", "");
        row(sb, "  bytes on disk per reading (the same topics)", String.format(Locale.ROOT, "%.0f",
                r.bytesPerReading()), "(as compressed)", "");
        row(sb, "  data flow alone / passthrough", String.format(Locale.ROOT, "%.2f", r.dataFlowRatio()),
                "(the best the design allows)", "");
        row(sb, "  forecasting / passthrough", String.format(Locale.ROOT, "%.2f", r.throughputRatio()),
                String.format(Locale.ROOT, ">= %.2f", EndToEndResult.THROUGHPUT_RATIO_TARGET),
                verdict(r.throughputRatio() >= EndToEndResult.THROUGHPUT_RATIO_TARGET));
        EndToEndResult.Seasonal d = r.seasonal();
        sb.append(String.format(Locale.ROOT, "daily cycle: the same number of hourly readings over %,d sensors%n",
                d.sensors()));
        row(sb, "  forecasting service, seasons learned and used", String.format(Locale.ROOT, "%,.0f rec/s", d.rps()),
                String.format(Locale.ROOT, "%.1f us CPU per reading", d.cpuUsPerReading()), "");
        row(sb, "  season changes (about one per sensor)", String.format(Locale.ROOT, "%,d", d.seasonChanges()), "",
                "");
        EndToEndResult.Pace p = r.pace();
        sb.append(String.format(Locale.ROOT, "pace: the same readings, no initial model, retrain.every.samples=%,d%n",
                p.everySamples()));
        row(sb, "  drained, training included", String.format(Locale.ROOT, "%,.0f rec/s", p.rps()),
                String.format(Locale.ROOT, "%.1f us CPU per reading", p.cpuUsPerReading()), "");
        row(sb, "  retraining start lag (most samples late)",
                String.format(Locale.ROOT, "%,d", p.retrainStartLagSamples()),
                String.format(Locale.ROOT, "<= %,d", EndToEndResult.RETRAIN_START_LAG_TARGET),
                verdict(p.meetsTarget()));
        row(sb, "  forecasts by a trained model", String.format(Locale.ROOT, "%.1f %%", 100 * p.trainedForecastShare()),
                String.format(Locale.ROOT, "(%d retrainings, %d accepted)", p.retrainings(), p.accepted()), "");
        sb.append(String.format(Locale.ROOT, "latency, reading produced to forecast consumed: %,d readings/s over "
                        + "%,d sensors, %d s per figure%n", s.ratePerSecond(), s.sensors(),
                s.latencyDuration().toSeconds()));
        for (EndToEndResult.Latency l : r.latencies()) {
            row(sb, "  " + l.guarantee() + " p50", ms(l.p50Ms()), "", "");
            row(sb, "  " + l.guarantee() + " p99", ms(l.p99Ms()),
                    String.format(Locale.ROOT, "<= %.0f ms", l.p99TargetMs()), verdict(l.p99Ms() <= l.p99TargetMs()));
            row(sb, "  " + l.guarantee() + " p99 during retraining", ms(l.p99RetrainMs()),
                    String.format(Locale.ROOT, "<= %.1f x p99 (%.2f x)", EndToEndResult.RETRAIN_P99_RATIO_TARGET,
                            l.retrainRatio()),
                    verdict(l.retrainRatio() <= EndToEndResult.RETRAIN_P99_RATIO_TARGET));
            sb.append(String.format(Locale.ROOT, "    (%,d forecasts, max %s; during %d retrainings, %.1f s of "
                            + "training: %,d forecasts, max %s; producer at most %d ms late%s)%n", l.forecasts(),
                    ms(l.maxMs()), l.retrainings(), l.retrainMs() / 1000.0, l.retrainForecasts(), ms(l.maxRetrainMs()),
                    l.maxProducerLagMs(),
                    l.naiveForecasts() > 0 ? "; " + l.naiveForecasts() + " naive forecasts" : ""));
        }
        sb.append(String.format(Locale.ROOT, "CPU taken by other processes meanwhile: %s%n", shares(r)));
        if (r.maxOtherCpuShare() > EndToEndResult.DISTURBED_CPU_SHARE) {
            sb.append(String.format(Locale.ROOT, "(DISTURBED: other processes used up to %.0f%% of the CPU; the "
                    + "figures understate the service, run again on a quiet machine)%n", 100 * r.maxOtherCpuShare()));
        }
        if (s.quick()) {
            sb.append("(quick run: a tenth of the load; run without --quick for the figures the targets are stated "
                    + "for)").append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String shares(EndToEndResult r) {
        StringBuilder sb = new StringBuilder();
        r.otherCpuShare().forEach((name, share) -> sb.append(sb.length() > 0 ? ", " : "").append(name).append(' ')
                .append(Double.isNaN(share) ? "unknown" : String.format(Locale.ROOT, "%.0f%%", 100 * share)));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String result, String target, String verdict) {
        sb.append(String.format(Locale.ROOT, FORMAT, name, result, target, verdict));
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static String verdict(boolean met) {
        return met ? "ok" : "MISSED";
    }

    /**
     * The figures as a JSON object: passthrough_rps, forecast_rps, and p50_ms, p99_ms, p99_retrain_ms of the
     * default guarantee (exactly_once_v2, see {@link EndToEndResult#DEFAULT_GUARANTEE}); then the data flow's rate,
     * the same per guarantee under "latency", the load, the CPU share other processes took during each measurement,
     * and quick.
     */
    public static String toJson(EndToEndResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("passthrough_rps", r.passthroughRps());
        node.put("forecast_rps", r.forecastRps());
        node.put("p50_ms", r.p50Ms());
        node.put("p99_ms", r.p99Ms());
        node.put("p99_retrain_ms", r.p99RetrainMs());
        node.put("guarantee", EndToEndResult.DEFAULT_GUARANTEE);
        node.put("forecast_to_passthrough", r.throughputRatio());
        node.put("forecast_readings_only_rps", r.forecastReadingsRps());
        node.put("data_flow_rps", r.dataFlowRps());
        node.put("data_flow_to_passthrough", r.dataFlowRatio());
        node.put("passthrough_cpu_us_per_reading", r.passthroughCpuUs());
        node.put("data_flow_cpu_us_per_reading", r.dataFlowCpuUs());
        node.put("forecast_cpu_us_per_reading", r.forecastCpuUs());
        node.put("forecast_jit_cpu_us_per_reading", r.forecastJitCpuUs());
        node.put("records_per_reading", r.recordsPerReading());
        node.put("bytes_per_reading", r.bytesPerReading());
        ObjectNode daily = node.putObject("daily_cycle");
        daily.put("sensors", r.seasonal().sensors());
        daily.put("rps", r.seasonal().rps());
        daily.put("cpu_us_per_reading", r.seasonal().cpuUsPerReading());
        daily.put("season_changes", r.seasonal().seasonChanges());
        EndToEndResult.Pace p = r.pace();
        node.put("pace_rps", p.rps());
        node.put("retrain_start_lag_samples", p.retrainStartLagSamples());
        node.put("trained_forecast_share", p.trainedForecastShare());
        ObjectNode pace = node.putObject("pace");
        pace.put("every_samples", p.everySamples());
        pace.put("cpu_us_per_reading", p.cpuUsPerReading());
        pace.put("retrainings", p.retrainings());
        pace.put("accepted", p.accepted());
        ObjectNode latency = node.putObject("latency");
        for (EndToEndResult.Latency l : r.latencies()) {
            ObjectNode g = latency.putObject(l.guarantee());
            g.put("p50_ms", l.p50Ms());
            g.put("p99_ms", l.p99Ms());
            g.put("max_ms", l.maxMs());
            g.put("forecasts", l.forecasts());
            g.put("p50_retrain_ms", l.p50RetrainMs());
            g.put("p99_retrain_ms", l.p99RetrainMs());
            g.put("max_retrain_ms", l.maxRetrainMs());
            g.put("retrain_forecasts", l.retrainForecasts());
            g.put("retrainings", l.retrainings());
            g.put("retrain_ms", l.retrainMs());
            g.put("naive_forecasts", l.naiveForecasts());
            g.put("max_producer_lag_ms", l.maxProducerLagMs());
        }
        EndToEndSettings s = r.settings();
        ObjectNode load = node.putObject("load");
        load.put("readings", s.readings());
        load.put("warmup_readings", s.warmupReadings());
        load.put("sensors", s.sensors());
        load.put("throughput_guarantee", r.throughputGuarantee());
        load.put("rate_per_s", s.ratePerSecond());
        load.put("latency_s", s.latencyDuration().toSeconds());
        load.put("retrain_s", s.retrainDuration().toSeconds());
        load.put("retrain_epochs", s.retrainEpochs());
        load.put("retrain_buffer_size", s.retrainBufferSize());
        load.put("partitions", s.partitions());
        ObjectNode other = node.putObject("other_processes_cpu_share");
        r.otherCpuShare().forEach(other::put);
        node.put("quick", s.quick());
        node.put("meets_targets", r.meetsTargets());
        try {
            return JSON.writeValueAsString(node) + System.lineSeparator();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark figures as JSON", e);
        }
    }

    /** Writes {@link #toJson} to {@code file}, replacing it. */
    public static void writeJson(EndToEndResult r, Path file) throws IOException {
        Files.writeString(file, toJson(r));
    }
}
