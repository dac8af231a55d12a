package dev.streamcast.bench.input;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
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
 * [--quick]}.
 */
public final class RunParserBenchmarks {

    private RunParserBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
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
}
