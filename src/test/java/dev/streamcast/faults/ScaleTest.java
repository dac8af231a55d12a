package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * 100,000 sensors on one Streamcast process at {@code -Xmx512m}: it holds them (no OutOfMemoryError, every reading
 * accounted for), and the figures sizing a deployment are measured and written to
 * {@code target/fault-suite/scale.txt}: live heap, resident memory, state-store bytes per sensor, the
 * throughput of the first load, and the catch-up rate after a restart (after a clean stop, and after kill -9, which
 * also restores the state from the changelog).
 *
 * <p>Runs only in the full form: {@code -Dstreamcast.faults=full} (or {@code -Dstreamcast.scale.sensors=N} to try
 * another size).
 */
@EnabledIfSystemProperty(named = FaultSuite.PROPERTY, matches = "(?i)full")
@Tag("faults")
class ScaleTest extends FaultScenario {

    private static final Path FIGURES = Path.of("target", "fault-suite", "scale.txt");

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void oneInstanceHoldsAHundredThousandSensorsIn512Megabytes() throws Exception {
        int sensors = Integer.getInteger("streamcast.scale.sensors", 100_000);
        // Not begin(): this scenario's sizes are its own (the sensor count, in its name), not the suite's, so its
        // header names only the seed.
        seed = FaultSuite.seed();
        log = new ScenarioLog("scale " + sensors + " sensors");
        log.say("seed " + seed);
        List<String> figures = new ArrayList<>();

        startCluster("scale");
        ServiceInstance service = cluster.instance("streamcast", Map.of(), "512m",
                List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir)).start(Duration.ofMinutes(2));
        // 7 readings per sensor: 4 in the first load, 2 while stopped (clean stop), 1 while killed.
        TrafficPlan plan = TrafficPlan.build(sensors, 7, 0, 0, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();

        Memory baseline = memory(service.pid());
        figures.add(String.format("live heap before any reading: %.1f MB, process resident %.1f MB",
                baseline.heapUsedBytes / 1e6, baseline.residentBytes / 1e6));
        log.say(figures.get(figures.size() - 1));

        // First load: every sensor gets a full window and a forecast.
        int load = plan.roundStart(4);
        long start = System.nanoTime();
        producer.sendAsync(0, load, 0);
        producer.awaitAcked(load, Duration.ofMinutes(20));
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        cluster.awaitCaughtUp(Duration.ofMinutes(30), List.of(service));
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        figures.add(String.format("first load: %,d readings of %,d sensors produced in %.1f s, processed in %.1f s: "
                + "%,.0f readings/s", load, sensors, produceSeconds, loadSeconds, load / loadSeconds));
        log.say(figures.get(figures.size() - 1));

        Memory memory = memory(service.pid());
        figures.add(String.format("live heap with %,d sensors: %.1f MB (%,.0f bytes per sensor over the "
                        + "baseline), committed %.1f MB, process resident %.1f MB, at -Xmx512m", sensors,
                memory.heapUsedBytes / 1e6, (double) (memory.heapUsedBytes - baseline.heapUsedBytes) / sensors,
                memory.heapCommittedBytes / 1e6, memory.residentBytes / 1e6));
        log.say(figures.get(figures.size() - 1));

        List<String> histogram = jcmd(service.pid(), "GC.class_histogram").lines().limit(14).toList();

        // Clean stop (state flushed and checkpointed), 2 readings per sensor while down, then the catch-up.
        service.stop();
        long sensorStoreBytes = bytesUnder(service.stateDir(), "sensor-state");
        long allStateBytes = bytesUnder(service.stateDir(), "");
        long changelogBytes = bytesUnder(dir.resolve("kafka"), "sensor-state-changelog");
        figures.add(String.format("sensor-state store (RocksDB, after a clean stop; each sensor holds its window and "
                        + "1 scored reading of sensor.history.length 20): %,d bytes, %.0f bytes per sensor; "
                        + "whole state directory %,d bytes; sensor-state changelog on the broker %,d bytes (%.0f per "
                        + "sensor)", sensorStoreBytes, (double) sensorStoreBytes / sensors, allStateBytes,
                        changelogBytes,
                (double) changelogBytes / sensors));
        log.say(figures.get(figures.size() - 1));
        int whileStopped = plan.roundStart(6);
        producer.sendAndWait(load, whileStopped, 0, Duration.ofMinutes(20));
        start = System.nanoTime();
        service.start(Duration.ofMinutes(5));
        double startSeconds = (System.nanoTime() - start) / 1e9;
        cluster.awaitCaughtUp(Duration.ofMinutes(30), List.of(service));
        double catchUpSeconds = (System.nanoTime() - start) / 1e9;
        int backlog = whileStopped - load;
        figures.add(String.format("catch-up after a clean restart: %,d readings waiting, caught up %.1f s after the "
                + "start (%.1f s to start): %,.0f readings/s overall, %,.0f readings/s once started", backlog,
                catchUpSeconds, startSeconds, backlog / catchUpSeconds, backlog / (catchUpSeconds - startSeconds)));
        log.say(figures.get(figures.size() - 1));

        // kill -9, 1 reading per sensor while down, then the catch-up (the state is restored from the changelog).
        service.kill();
        producer.sendAndWait(whileStopped, plan.size(), 0, Duration.ofMinutes(20));
        start = System.nanoTime();
        service.start(Duration.ofMinutes(5));
        cluster.awaitCaughtUp(Duration.ofMinutes(30), List.of(service));
        double killCatchUp = (System.nanoTime() - start) / 1e9;
        backlog = plan.size() - whileStopped;
        figures.add(String.format("catch-up after kill -9 (state restored from the changelog): %,d readings waiting, "
                + "caught up %.1f s after the start: %,.0f readings/s", backlog, killCatchUp, backlog / killCatchUp));
        log.say(figures.get(figures.size() - 1));
        Memory after = memory(service.pid());
        figures.add(String.format("live heap after the restore: %.1f MB, process resident %.1f MB",
                after.heapUsedBytes / 1e6, after.residentBytes / 1e6));
        log.say(figures.get(figures.size() - 1));

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(120));
        log.say(report.summary());
        boolean oom = service.log().contains("OutOfMemoryError");
        figures.add("conservation: " + (report.ok() ? "holds" : "VIOLATED") + " over " + report.counts.get(
                "valid readings sent") + " readings, " + report.counts.get("forecasts matched") + "/"
                + report.counts.get("forecasts expected") + " forecasts; OutOfMemoryError: " + (oom ? "YES" : "none"));
        writeFigures(sensors, seed, figures, histogram);
        log.result(suite, seed, (report.ok() && !oom ? "PASS" : "FAIL") + ": " + String.join("; ",
                figures));

        assertTrue(report.ok(), report.summary());
        assertFalse(oom, "no OutOfMemoryError at -Xmx512m");
        service.assertAlive("at the end");
    }

    record Memory(long heapUsedBytes, long heapCommittedBytes, long residentBytes) {
    }

    /**
     * The live heap (the total of {@code jcmd GC.class_histogram}, which collects first and counts in the same pause,
     * so allocation by busy threads right after a GC does not inflate it), the committed heap, and the resident set.
     */
    static Memory memory(long pid) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        if (!total.find()) {
            throw new AssertionError("cannot read jcmd GC.class_histogram: " + histogram.lines().limit(5).toList());
        }
        long live = Long.parseLong(total.group(1));
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new AssertionError("cannot read jcmd GC.heap_info: " + info);
        }
        long committed = Long.parseLong(m.group(1)) * 1024;
        long resident = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                resident = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return new Memory(live, committed, resident);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    /** Bytes of the regular files under {@code root} whose path contains {@code part}. */
    static long bytesUnder(Path root, String part) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().contains(part)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file RocksDB or Kafka removed meanwhile
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new AssertionError("cannot measure " + root + ": " + e, e);
        }
    }

    private static void writeFigures(int sensors, long seed, List<String> figures, List<String> histogram)
            throws IOException {
        Files.createDirectories(FIGURES.getParent());
        StringBuilder s = new StringBuilder("=== " + java.time.Instant.now() + " scale: " + sensors + " sensors, seed "
                + seed + "\n");
        figures.forEach(f -> s.append("- ").append(f).append('\n'));
        s.append("heap by class after the first load (jcmd GC.class_histogram, top):\n");
        histogram.forEach(l -> s.append("    ").append(l).append('\n'));
        Files.writeString(FIGURES, s.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
