package dev.streamcast.bench.input;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ParserBenchmarks} from the test class path and prints each format's nanoseconds and bytes allocated
 * per reading, with the mapped formats' cost against the auto format's object:
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.streamcast.bench.input.RunParserBenchmarks
 * [--quick | --cpu-time]}.
 *
 * <p>{@code --cpu-time} measures the same methods without JMH, by the thread's CPU time (the median of 21 blocks of
 * 100,000 calls after 3 s of warm-up): on a machine other processes load, JMH's wall-clock times include the time the
 * thread waited for a core, and vary several-fold from run to run; CPU time does not count that wait.
 */
public final class RunParserBenchmarks {

    private RunParserBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cpu-time")) {
            cpuTime();
            return;
        }
        boolean quick = args.length > 0 && args[0].equals("--quick");
        OptionsBuilder builder = new OptionsBuilder();
        builder.include("^" + Pattern.quote(ParserBenchmarks.class.getName()) + "\\.").forks(1).threads(1)
                .shouldFailOnError(true).addProfiler(GCProfiler.class)
                .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2));
        Collection<RunResult> results = new Runner(builder.build()).run();
        Map<String, RunResult> byMethod = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byMethod.put(name.substring(name.lastIndexOf('.') + 1), r);
        }
        double auto = byMethod.get("autoObject").getPrimaryResult().getScore();
        System.out.printf(Locale.ROOT, "%n%-12s %16s %14s %18s%n", "benchmark", "ns per reading", "B per reading",
                "vs autoObject");
        for (String name : new String[] {"autoNumber", "autoObject", "jsonValue", "jsonDevice", "influxLine",
            "csvLine"}) {
            RunResult r = byMethod.get(name);
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double score = r.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-12s %9.1f ± %4.1f %14.0f %17.2fx%n", name, score,
                    r.getPrimaryResult().getScoreError(), alloc == null ? Double.NaN : alloc.getScore(), score / auto);
        }
    }

    private static void cpuTime() {
        ParserBenchmarks b = new ParserBenchmarks();
        ParserBenchmarks.AutoState auto = new ParserBenchmarks.AutoState();
        ParserBenchmarks.MappedState mapped = new ParserBenchmarks.MappedState();
        mapped.setUp();
        Blackhole hole = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly "
                + "is dangerous.");
        double object = cpuNanos(() -> b.autoObject(auto) ? 1 : 0, 1);
        double[] results = {cpuNanos(() -> b.autoNumber(auto) ? 1 : 0, 1), object,
            cpuNanos(() -> b.jsonValue(mapped, hole), 1), cpuNanos(() -> b.jsonDevice(mapped, hole), 2),
            cpuNanos(() -> b.influxLine(mapped, hole), 2), cpuNanos(() -> b.csvLine(mapped, hole), 1)};
        String[] names = {"autoNumber", "autoObject", "jsonValue", "jsonDevice", "influxLine", "csvLine"};
        System.out.printf(Locale.ROOT, "%-12s %20s %14s%n", "benchmark", "CPU ns per reading", "vs autoObject");
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-12s %20.1f %13.2fx%n", names[i], results[i], results[i] / object);
        }
    }

    /** The median over 21 blocks of 100,000 calls of the thread's CPU time per reading, after 3 s of warm-up. */
    private static double cpuNanos(IntSupplier op, int readingsPerCall) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long warm = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warm) {
            sink += op.getAsInt();
        }
        double[] blocks = new double[21];
        for (int k = 0; k < blocks.length; k++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100_000; i++) {
                sink += op.getAsInt();
            }
            blocks[k] = (threads.getCurrentThreadCpuTime() - start) / 100_000.0 / readingsPerCall;
        }
        if (sink == Long.MIN_VALUE) {
            System.out.println(sink);
        }
        Arrays.sort(blocks);
        return blocks[blocks.length / 2];
    }
}
