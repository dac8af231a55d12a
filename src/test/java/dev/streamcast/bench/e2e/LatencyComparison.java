package dev.streamcast.bench.e2e;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code bench e2e}'s latency run ({@link LatencyRun}) for several sets of settings side by side in one JVM and one
 * embedded broker: one unmeasured run of each set (the JIT's warm-up), then measured rounds of the sets in turn, the
 * order reversed every other round, so that the machine's swings fall on every set alike. Prints per round and set
 * p50, p99 and the maximum without retraining, p99 during retrainings, how far the paced producer fell behind and
 * the share of the machine's CPU other processes took.
 *
 * <p>Run from the test class path, e.g.
 * {@code java -cp "$(cat target/test-classpath.txt):target/test-classes:target/classes"
 * dev.streamcast.bench.e2e.LatencyComparison at_least_once 20 4 gzip1= lz4=kafka.producer.compression.type=lz4}:
 * the guarantee, seconds measured without retraining (then during one retraining), measured rounds, then
 * {@code NAME=KEY=VALUE[;KEY=VALUE]...} per set (an empty list: the defaults). Not a test: it measures, it asserts
 * nothing.
 */
public final class LatencyComparison {

    private LatencyComparison() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LatencyComparison GUARANTEE SECONDS ROUNDS NAME=KEY=VALUE[;KEY=VALUE]...");
            System.exit(2);
        }
        String guarantee = args[0];
        Duration measured = Duration.ofSeconds(Long.parseLong(args[1]));
        int rounds = Integer.parseInt(args[2]);
        Map<String, Map<String, String>> sets = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            Map<String, String> keys = new LinkedHashMap<>();
            String list = args[i].substring(name.length() + 1);
            for (String pair : list.isEmpty() ? new String[0] : list.split(";")) {
                keys.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            sets.put(name, keys);
        }
        EndToEndSettings quick = EndToEndSettings.quickLoad();
        EndToEndSettings load = new EndToEndSettings(quick.readings(), 0, quick.sensors(), quick.ratePerSecond(),
                Duration.ofSeconds(5), measured, Duration.ZERO, quick.retrainEpochs(), quick.retrainBufferSize(),
                quick.partitions(), true);
        Path work = Files.createTempDirectory("streamcast-latency-compare-");
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-5s %-12s %6s %6s %6s %12s %8s %8s", "round", "set", "p50", "p99",
                "max", "p99 retrain", "lag ms", "others"));
        try (CpuMonitor cpu = CpuMonitor.start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("broker")).port(0).start();
             Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                     broker.bootstrapServers()))) {
            Path model = EndToEndBenchmark.writeInitialModel(work);
            Map<String, LatencyRun> runs = new LinkedHashMap<>();
            Map<String, Double> others = new LinkedHashMap<>();
            sets.forEach((name, keys) -> runs.put(name, new LatencyRun(
                    new BenchmarkSetup(load, broker.bootstrapServers(), admin, work, keys),
                    new Readings(load.sensors()), cpu, others, LatencyComparison::dump)));
            for (Map.Entry<String, LatencyRun> r : runs.entrySet()) {
                r.getValue().measure(guarantee, model, "warmup-" + r.getKey());
            }
            for (int round = 1; round <= rounds; round++) {
                List<String> order = new ArrayList<>(runs.keySet());
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (String name : order) {
                    EndToEndResult.Latency l = runs.get(name).measure(guarantee, model, "r" + round + "-" + name);
                    String row = String.format(Locale.ROOT, "%-5d %-12s %6.0f %6.0f %6.0f %12.0f %8d %7.0f%%",
                            round, name, l.p50Ms(), l.p99Ms(), l.maxMs(), l.p99RetrainMs(), l.maxProducerLagMs(),
                            100 * others.getOrDefault(guarantee, 0.0));
                    rows.add(row);
                    System.out.println("ROW " + row);
                }
            }
        } finally {
            deleteQuietly(work);
        }
        System.out.println(String.join("\n", rows));
    }

    /** With -Dlatency.dump=DIR, writes each run's samples to DIR/RUN.csv: reading timestamp ms, latency ms. */
    private static void dump(String run, LatencySamples samples, double commitAvgMs, double commitMaxMs) {
        System.out.printf(Locale.ROOT, "COMMIT %s avg %.1f ms, max %.1f ms%n", run, commitAvgMs, commitMaxMs);
        String dir = System.getProperty("latency.dump");
        if (dir == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < samples.size(); k++) {
            sb.append(samples.timestamp(k)).append(',').append(samples.latencyMs(k)).append('\n');
        }
        try {
            Files.writeString(Path.of(dir, run + ".csv"), sb);
        } catch (IOException e) {
            System.err.println("cannot write the samples of " + run + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
