package dev.streamcast.bench.e2e;

import dev.streamcast.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code bench e2e}'s throughput comparison (passthrough, data flow, forecasting service) run for several sets of
 * settings side by side in one JVM: first one unmeasured round of each set (the JIT's warm-up, every set's code
 * paths included), then measured rounds of the sets in turn, the order reversed every other round, so that the
 * machine's swings in speed (2x on this VM) fall on every set alike. Prints, per round and set, the forecasting
 * drain's CPU per reading (the JIT's part), its rate, the passthrough's CPU per reading, the bytes the
 * forecasting service's topics took on disk per reading, and the share of the machine's CPU other processes took
 * during the forecasting drain (BENCHMARKS.md, the producers' compression).
 *
 * <p>Run from the test class path, e.g.
 * {@code java -cp "$(cat target/test-classpath.txt):target/test-classes:target/classes"
 * dev.streamcast.bench.e2e.SettingsComparison 100000 3 none=kafka.producer.compression.type=none
 * gzip1=kafka.producer.compression.type=gzip;kafka.producer.compression.gzip.level=1}: readings per round, measured
 * rounds, then {@code NAME=KEY=VALUE[;KEY=VALUE]...} per set. Not a test: it measures, it asserts nothing.
 */
public final class SettingsComparison {

    private SettingsComparison() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SettingsComparison READINGS ROUNDS NAME=KEY=VALUE[;KEY=VALUE]...");
            System.exit(2);
        }
        long readings = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Map<String, Map<String, String>> sets = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            Map<String, String> keys = new LinkedHashMap<>();
            for (String pair : args[i].substring(name.length() + 1).split(";")) {
                keys.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            sets.put(name, keys);
        }
        EndToEndSettings quick = EndToEndSettings.quickLoad();
        EndToEndSettings load = new EndToEndSettings(readings, 0, quick.sensors(), quick.ratePerSecond(),
                quick.warmup(), quick.latencyDuration(), quick.retrainDuration(), quick.retrainEpochs(),
                quick.retrainBufferSize(), quick.partitions(), true);
        Path work = Files.createTempDirectory("streamcast-compare-");
        List<String> rows = new ArrayList<>();
        try (CpuMonitor cpu = CpuMonitor.start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("broker")).port(0).start();
             Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                     broker.bootstrapServers()))) {
            Path model = EndToEndBenchmark.writeInitialModel(work);
            DrainTimer timer = new DrainTimer(admin, cpu);
            Map<String, ThroughputComparison> comparisons = new LinkedHashMap<>();
            sets.forEach((name, keys) -> comparisons.put(name, new ThroughputComparison(
                    new BenchmarkSetup(load, broker.bootstrapServers(), admin, work, keys), timer,
                    new Readings(load.sensors()), new LinkedHashMap<>())));
            for (Map.Entry<String, ThroughputComparison> c : comparisons.entrySet()) {
                c.getValue().measuredRound("warmup-" + c.getKey(), model);
            }
            rows.add(String.format(Locale.ROOT, "%-5s %-10s %22s %12s %16s %14s %8s", "round", "set",
                    "forecasting us (JIT)", "readings/s", "passthrough us", "bytes/reading", "others"));
            for (int round = 1; round <= rounds; round++) {
                List<String> order = new ArrayList<>(comparisons.keySet());
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String name : order) {
                    long start = System.nanoTime();
                    ThroughputComparison.Result r = comparisons.get(name).measuredRound("r" + round + "-" + name,
                            model);
                    String row = String.format(Locale.ROOT, "%-5d %-10s %15.1f (%4.1f) %12.0f %16.1f %14.0f %7.0f%%",
                            round, name, r.forecasting().cpuUsPerReading(), r.forecasting().jitCpuUsPerReading(),
                            r.forecasting().rps(), r.passthrough().cpuUsPerReading(), r.bytesPerReading(),
                            100 * r.forecasting().otherCpuShare());
                    rows.add(row);
                    System.out.println(row + "   (" + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                            + " s)");
                }
            }
        } finally {
            deleteQuietly(work);
        }
        System.out.println(String.join("\n", rows));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
