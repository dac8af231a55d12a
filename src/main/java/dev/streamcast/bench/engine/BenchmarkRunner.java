package dev.streamcast.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link Benchmarks} in-process with JMH (each benchmark in one forked JVM on the current class path,
 * which from {@code java -jar streamcast.jar} is the jar) and turns the results into the figures users size a
 * deployment with: {@code streamcast bench model [--model MODEL.json] [--quick] [--json FILE]}. Without a model
 * they time the seed, against its targets; with one, that model (the fork reads it, {@link BenchedModel}), without
 * the seed's fit and without targets.
 *
 * <p>Full: per benchmark 5 warm-up and 5 measured iterations of 2 s, about 1.5 minutes in all. Quick: 2 warm-up
 * and 3 measured iterations of 1 s, about 30 s in all, with a wider error. JMH's GC profiler measures the
 * allocation per forecast.
 */
public final class BenchmarkRunner {

    private static final String GC_ALLOC_PER_OP = "gc.alloc.rate.norm";
    /** A load average above this at the end of a run means other work competed with the benchmark. */
    private static final double BUSY_LOAD = 1.5;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkRunner() {
    }

    /** Runs the benchmarks without printing JMH's progress. */
    public static BenchmarkResult run(boolean quick) {
        return run(quick, null);
    }

    /**
     * Runs the benchmarks, printing JMH's progress to {@code progress} (null: silent).
     *
     * @throws IllegalStateException if JMH cannot run them (e.g. the jar lacks META-INF/BenchmarkList) or a
     *                               benchmark fails
     */
    public static BenchmarkResult run(boolean quick, PrintStream progress) {
        return run(null, BenchedShape.SEED, quick, progress);
    }

    /**
     * Runs the benchmarks on the model document {@code model} (null: the seed), whose shape is {@code shape},
     * printing JMH's progress to {@code progress} (null: silent).
     *
     * @throws IllegalStateException if JMH cannot run them or a benchmark fails
     */
    public static BenchmarkResult run(Path model, BenchedShape shape, boolean quick, PrintStream progress) {
        Options options = options(model, quick);
        PrintStream out = progress != null ? progress : new PrintStream(OutputStream.nullOutputStream());
        VerboseMode mode = progress != null ? VerboseMode.NORMAL : VerboseMode.SILENT;
        Collection<RunResult> results;
        try {
            results = new Runner(options, OutputFormatFactory.createFormatInstance(out, mode)).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH could not run " + Benchmarks.class.getName() + ": "
                    + e.getMessage(), e);
        }
        return toResult(results, shape, quick);
    }

    /** The JMH options of a run on the seed: the benchmarks of {@link Benchmarks}, one fork, the GC profiler. */
    public static Options options(boolean quick) {
        return options(null, quick);
    }

    /**
     * The JMH options of a run on the model document {@code model} (null: the seed, all four benchmarks): the
     * fork is told the model's path, and the seed's fit is left out.
     */
    public static Options options(Path model, boolean quick) {
        OptionsBuilder builder = new OptionsBuilder();
        String benchmarks = "^" + Pattern.quote(Benchmarks.class.getName()) + "\\.";
        if (model == null) {
            builder.include(benchmarks);
        } else {
            builder.include(benchmarks + "(forecastOne|forecastBatch1024|trainStepBatch1)$")
                    .jvmArgsAppend("-D" + BenchedModel.PROPERTY + "=" + model.toAbsolutePath());
        }
        builder.forks(1)
                .threads(1)
                .shouldFailOnError(true)
                .addProfiler(GCProfiler.class);
        if (quick) {
            builder.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        } else {
            builder.warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        return builder.build();
    }

    static BenchmarkResult toResult(Collection<RunResult> results, BenchedShape shape, boolean quick) {
        Map<String, RunResult> byMethod = new HashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            byMethod.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), r);
        }
        RunResult one = require(byMethod, "forecastOne");
        RunResult batch = require(byMethod, "forecastBatch1024");
        RunResult step = require(byMethod, "trainStepBatch1");
        RunResult fit = shape.seed() ? require(byMethod, "seedFit") : null;
        Result<?> alloc = one.getSecondaryResults().get(GC_ALLOC_PER_OP);
        if (alloc == null) {
            throw new IllegalStateException("the GC profiler gave no " + GC_ALLOC_PER_OP + " for forecastOne; got "
                    + one.getSecondaryResults().keySet());
        }
        return new BenchmarkResult(shape,
                score(one, TimeUnit.MICROSECONDS), error(one, TimeUnit.MICROSECONDS), alloc.getScore(),
                score(batch, TimeUnit.MICROSECONDS), error(batch, TimeUnit.MICROSECONDS),
                score(step, TimeUnit.MICROSECONDS), error(step, TimeUnit.MICROSECONDS),
                fit == null ? Double.NaN : score(fit, TimeUnit.MILLISECONDS),
                fit == null ? Double.NaN : error(fit, TimeUnit.MILLISECONDS), quick,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static RunResult require(Map<String, RunResult> byMethod, String method) {
        RunResult r = byMethod.get(method);
        if (r == null) {
            throw new IllegalStateException("JMH returned no result for " + method + "; got " + byMethod.keySet());
        }
        return r;
    }

    private static double score(RunResult r, TimeUnit unit) {
        return convert(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit(), unit);
    }

    private static double error(RunResult r, TimeUnit unit) {
        return convert(r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit(), unit);
    }

    /** Converts a JMH average-time score in {@code scoreUnit} (e.g. "us/op") to {@code unit} per operation. */
    static double convert(double value, String scoreUnit, TimeUnit unit) {
        TimeUnit from = switch (scoreUnit) {
            case "ns/op" -> TimeUnit.NANOSECONDS;
            case "us/op" -> TimeUnit.MICROSECONDS;
            case "ms/op" -> TimeUnit.MILLISECONDS;
            case "s/op" -> TimeUnit.SECONDS;
            default -> throw new IllegalStateException("expected an average time per operation, got a score in "
                    + scoreUnit);
        };
        return value * from.toNanos(1) / unit.toNanos(1);
    }

    /** The human table: each figure against its target (the seed's; another model's figures have none). */
    public static String formatTable(BenchmarkResult r) {
        StringBuilder sb = new StringBuilder();
        String format = "%-38s %22s   %-10s %s%n";
        BenchedShape model = r.model();
        boolean seed = model.seed();
        if (!seed) {
            sb.append(String.format(Locale.ROOT, "model: %s, window %d x %d, %,d parameters (the targets are the "
                    + "seed's: none apply)%n", model.name(), model.windowLength(), model.features(),
                    model.parameters()));
        }
        sb.append(String.format(Locale.ROOT, format, seed ? "benchmark (seed model, relu, 1 thread)"
                : "benchmark (1 thread)", "result", seed ? "target" : "", ""));
        row(sb, format, "forecast one window", r.forecastOneUs(), r.forecastOneErrorUs(), "us",
                seed ? BenchmarkResult.FORECAST_ONE_TARGET_US : Double.NaN);
        // JMH's own bookkeeping per iteration, spread over the calls, is under a byte for the seed's millions of
        // calls but tens of bytes for a model timed in milliseconds: only the seed's figure is held to "none".
        sb.append(String.format(Locale.ROOT, format, "  allocation per forecast",
                String.format(Locale.ROOT, "%.3f B", r.forecastOneAllocBytes()), seed ? "none" : "",
                seed ? verdict(r.forecastOneAllocBytes() < BenchmarkResult.NO_ALLOCATION_BYTES) : ""));
        row(sb, format, "forecast 1,024 windows, per window", r.forecastBatchUsPerWindow(), r.forecastBatchErrorUs(),
                "us", seed ? BenchmarkResult.FORECAST_BATCH_TARGET_US : Double.NaN);
        row(sb, format, "one Adam step, batch size 1", r.trainStepBatch1Us(), r.trainStepBatch1ErrorUs(), "us",
                seed ? BenchmarkResult.TRAIN_STEP_TARGET_US : Double.NaN);
        if (seed) {
            row(sb, format, "seed fit, 100 epochs at batch size 1", r.seedFitMs(), r.seedFitErrorMs(), "ms",
                    BenchmarkResult.SEED_FIT_TARGET_MS);
        }
        if (r.loadAverage() >= 0) {
            sb.append(String.format(Locale.ROOT, "machine: %d CPUs, load average %.1f at the end (the benchmark itself "
                    + "adds about 1)%s%n", r.cpus(), r.loadAverage(),
                    r.loadAverage() > BUSY_LOAD ? "; other work competed with it, so these times are pessimistic"
                            : ""));
        }
        if (r.quick()) {
            sb.append("(quick run: fewer, shorter iterations; run without --quick for tighter figures)")
                    .append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** A figure's row; a NaN {@code target}: none, as for a model other than the seed. */
    private static void row(StringBuilder sb, String format, String name, double value, double error, String unit,
                            double target) {
        String result = Double.isNaN(error)
                ? String.format(Locale.ROOT, "%.3f %s", value, unit)
                : String.format(Locale.ROOT, "%.3f ± %.3f %s", value, error, unit);
        if (Double.isNaN(target)) {
            sb.append(String.format(Locale.ROOT, format, name, result, "", ""));
            return;
        }
        sb.append(String.format(Locale.ROOT, format, name, result,
                String.format(Locale.ROOT, "<= %s %s", trim(target), unit), verdict(value <= target)));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String verdict(boolean met) {
        return met ? "ok" : "MISSED";
    }

    /**
     * The figures as a JSON object: model, window_length, features, parameters, forecast_one_us,
     * forecast_batch_us_per_window, train_step_batch1_us, seed_fit_ms (the seed only),
     * forecast_one_alloc_bytes_per_op, quick, cpus and load_average.
     */
    public static String toJson(BenchmarkResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("model", r.model().name());
        node.put("window_length", r.model().windowLength());
        node.put("features", r.model().features());
        node.put("parameters", r.model().parameters());
        r.figures().forEach(node::put);
        node.put("quick", r.quick());
        node.put("cpus", r.cpus());
        node.put("load_average", r.loadAverage());
        try {
            return JSON.writeValueAsString(node) + System.lineSeparator();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark figures as JSON", e);
        }
    }

    /** Writes {@link #toJson} to {@code file}, replacing it. */
    public static void writeJson(BenchmarkResult r, Path file) throws IOException {
        Files.writeString(file, toJson(r));
    }
}
