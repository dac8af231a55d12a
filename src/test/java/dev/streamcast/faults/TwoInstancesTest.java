package dev.streamcast.faults;

import static dev.streamcast.testing.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Streamcast processes with one application id (each its own state directory and HTTP port, advertised as
 * kafka.application.server). The scenario runs once, in phases; each test checks one promise of it:
 * <ol>
 *   <li>both run and split the readings partitions; the first model is trained from the stream;</li>
 *   <li>more readings: every partition, whichever instance holds it, is forecast with that model; the HTTP API of
 *       either instance answers for every sensor;</li>
 *   <li>kill -9 of the second instance, more readings: the first takes its sensors over with their windows intact
 *       and answers for every sensor.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 40, unit = TimeUnit.MINUTES)
@Tag("faults")
class TwoInstancesTest {

    @TempDir
    static Path dir;

    private FaultCluster cluster;
    private ScenarioLog log;
    private FaultSuite suite;
    private long seed;
    private TrafficPlan plan;
    private LoadProducer producer;
    private OutputTopics outputs;
    private ServiceInstance first;
    private ServiceInstance second;

    // What the scenario saw, for the tests to check.
    private final Map<String, Set<Integer>> partitionsBefore = new LinkedHashMap<>();
    private Set<Integer> partitionsAfterKill = Set.of();
    private final Map<Integer, Long> modelForecastsByPartitionInPhase2 = new HashMap<>();
    private long phase2Forecasts;
    private long phase2ModelForecasts;
    private long firstModelVersion;
    private final List<String> trainedOn = new ArrayList<>();
    private final List<String> modelInUseOn = new ArrayList<>();
    private boolean apiPresent;
    private String apiAbsence = "";
    private List<String> apiProblemsFirst = List.of();
    private List<String> apiProblemsSecond = List.of();
    private List<String> apiProblemsAfterKill = List.of();
    private int movedSensors;
    private final List<String> movedWithoutFullWindowForecast = new ArrayList<>();
    private ConservationVerifier.Report report;

    @BeforeAll
    // The class-level @Timeout does not cover this method, where the whole scenario runs; on a thread of its own so
    // that a hang which ignores interrupts ends too (src/test/resources/junit-platform.properties).
    @Timeout(value = 40, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runTheScenario() {
        suite = FaultSuite.current();
        seed = FaultSuite.seed();
        log = new ScenarioLog("two instances");
        log.say(suite + ", seed " + seed);
        cluster = new FaultCluster(dir, "two-instances");
        cluster.startBroker();
        // Small retraining batches: the first model comes early and is trained where the samples' partition is.
        Map<String, String> settings = Map.of("retrain.every.samples", "1000", "retrain.min.samples", "500",
                "retrain.epochs", "10");
        first = cluster.instance("first", settings).start(Duration.ofMinutes(2));
        second = cluster.instance("second", settings).start(Duration.ofMinutes(2));

        int rounds = suite.readingsPerSensor();
        plan = TrafficPlan.build(suite.sensors(), rounds, 0, 0, seed);
        producer = cluster.producer(plan);
        outputs = cluster.outputs();
        int phase2 = plan.roundStart(rounds * 2 / 5);
        int phase3 = plan.roundStart(rounds * 7 / 10);

        Map<String, Set<Integer>> assignment = awaitSplit();
        String firstId = cluster.processId(first);
        String secondId = cluster.processId(second);
        partitionsBefore.put("first", partitionsOf(assignment, firstId));
        partitionsBefore.put("second", partitionsOf(assignment, secondId));
        log.say("readings partitions: " + partitionsBefore);

        // Phase 1: until a model is trained.
        producer.sendAndWait(0, phase2, suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(first, second));
        firstModelVersion = awaitModel(Duration.ofMinutes(3));
        log.say("phase 1 (" + phase2 + " readings) done; model version " + firstModelVersion + " on the models topic");
        for (ServiceInstance i : List.of(first, second)) {
            if (i.log().contains("retraining model 'default'")) {
                trainedOn.add(i.name());
            }
        }
        awaitInUse(firstModelVersion, Duration.ofMinutes(1));

        // Phase 2: every partition is forecast with the model, whichever instance holds it.
        int forecastsBefore = outputs.forecasts.size();
        producer.sendAndWait(phase2, phase3, suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(first, second));
        outputs.drain(Duration.ofMinutes(2));
        for (OutputTopics.Forecast f : outputs.forecasts.subList(forecastsBefore, outputs.forecasts.size())) {
            phase2Forecasts++;
            if (f.underModel()) {
                phase2ModelForecasts++;
            }
            if ("lstm".equals(f.model()) && f.modelVersion() >= 1) {
                modelForecastsByPartitionInPhase2.merge(f.partition(), 1L, Long::sum);
            }
        }
        log.say("phase 2: " + phase2ModelForecasts + " of " + phase2Forecasts + " forecasts by a model, by partition "
                + modelForecastsByPartitionInPhase2);
        SensorApi firstApi = new SensorApi(first.httpPort());
        SensorApi secondApi = new SensorApi(second.httpPort());
        apiPresent = firstApi.present() && secondApi.present();
        if (apiPresent) {
            Map<String, double[]> expected = lastValues(phase3);
            apiProblemsFirst = firstApi.checkEverySensor(expected);
            apiProblemsSecond = secondApi.checkEverySensor(expected);
            log.say("HTTP API before the kill: " + apiProblemsFirst.size() + " and " + apiProblemsSecond.size()
                    + " problems over " + expected.size() + " sensors");
        } else {
            apiAbsence = "/health answered " + firstApi.get("/health").status() + " and /api/sensors "
                    + firstApi.get("/api/sensors?limit=1").status() + " on " + first.httpPort();
            log.say("HTTP API absent: " + apiAbsence);
        }

        // Phase 3: kill -9 of the second instance; the first takes its sensors over.
        second.kill();
        log.say("kill -9 of the second instance");
        producer.sendAndWait(phase3, plan.size(), suite.readingsPerSecond(), Duration.ofMinutes(10));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(first));
        try {
            await("the first instance holding every readings partition", Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        partitionsAfterKill = partitionsOf(cluster.readingsAssignment(), firstId);
                        return partitionsAfterKill.size() >= 4;
                    });
        } catch (ConditionTimeoutException e) {
            // Reported with the partitions it holds.
        }
        log.say("after the kill the first holds partitions " + partitionsAfterKill);
        report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        checkMovedWindows(phase3);
        if (apiPresent) {
            apiProblemsAfterKill = firstApi.checkEverySensor(lastValues(plan.size()));
            log.say("HTTP API after the kill: " + apiProblemsAfterKill.size() + " problems");
        }
        for (ServiceInstance i : List.of(first, second)) {
            if (i.log().contains("version " + firstModelVersion + " is now in use")) {
                modelInUseOn.add(i.name());
            }
        }
        boolean pass = report.ok() && movedWithoutFullWindowForecast.isEmpty() && apiProblemsFirst.isEmpty()
                && apiProblemsSecond.isEmpty() && apiProblemsAfterKill.isEmpty();
        log.result(suite, seed, (pass ? "PASS" : "FAIL") + ": partitions " + partitionsBefore + ", model v"
                + firstModelVersion + " trained on " + trainedOn + " in use on " + modelInUseOn + "; after kill -9 of "
                + "the second, " + movedSensors + " sensors moved, " + movedWithoutFullWindowForecast.size()
                + " windows started over; " + report.counts.get("forecasts matched") + "/"
                + report.counts.get("forecasts expected") + " forecasts; HTTP API "
                + (apiPresent ? "answered for every sensor from either: " + (apiProblemsFirst.size()
                + apiProblemsSecond.size() + apiProblemsAfterKill.size()) + " problems" : "absent (" + apiAbsence
                + ")"));
    }

    @AfterAll
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void bothInstancesRunAndSplitThePartitions() {
        assertEquals(Set.of(0, 1, 2, 3), union(partitionsBefore.values()), "every partition held: " + partitionsBefore);
        assertFalse(partitionsBefore.get("first").isEmpty(), "the first holds partitions: " + partitionsBefore);
        assertFalse(partitionsBefore.get("second").isEmpty(), "the second holds partitions: " + partitionsBefore);
    }

    @Test
    void theModelTrainedOnOneServesBoth() {
        assertTrue(firstModelVersion >= 1, "a model was trained from the stream");
        assertEquals(1, trainedOn.size(), "one instance trains the shared model: " + trainedOn);
        assertEquals(List.of("first", "second"), modelInUseOn, "both installed version " + firstModelVersion);
        assertEquals(Set.of(0, 1, 2, 3), modelForecastsByPartitionInPhase2.keySet(),
                "forecasts by the model on every partition, whichever instance holds it");
        // The per-sensor floor may serve the last value for a sensor the young model forecasts worse; that is the
        // model in use deciding, not a missing model. A "no-model" forecast in phase 2 is the failure.
        assertEquals(phase2Forecasts, phase2ModelForecasts,
                "every forecast of phase 2 is served under the model (its own, or the floor's last value)");
    }

    @Test
    void killingOneMovesItsSensorsToTheOtherWithWindowsIntact() {
        assertEquals(Set.of(0, 1, 2, 3), partitionsAfterKill, "the first holds every partition after the kill");
        assertTrue(movedSensors > 0, "some sensors moved");
        assertTrue(movedWithoutFullWindowForecast.isEmpty(), movedWithoutFullWindowForecast.size() + " of "
                + movedSensors + " moved sensors had no forecast from a full window at their first reading after the "
                + "move (the window started over): " + movedWithoutFullWindowForecast.stream().limit(10).toList());
    }

    @Test
    void everyReadingIsAccountedForExactlyOnce() {
        assertTrue(report.ok(), report.summary());
    }

    @Test
    void theHttpApiOfEitherAnswersForEverySensor() {
        // A missing API is a regression, not a reason to skip: `streamcast run` serves it.
        assertTrue(apiPresent, "the ops HTTP API is not served by `streamcast run`: " + apiAbsence);
        assertTrue(apiProblemsFirst.isEmpty(), "first instance, before the kill: " + head(apiProblemsFirst));
        assertTrue(apiProblemsSecond.isEmpty(), "second instance, before the kill: " + head(apiProblemsSecond));
        assertTrue(apiProblemsAfterKill.isEmpty(), "first instance, after the kill: " + head(apiProblemsAfterKill));
    }

    /** Waits until both instances are members of the group and both hold readings partitions; the assignment. */
    private Map<String, Set<Integer>> awaitSplit() {
        AtomicReference<Map<String, Set<Integer>>> assignment = new AtomicReference<>(Map.of());
        try {
            await("the two instances splitting the readings partitions", Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        assignment.set(cluster.readingsAssignment());
                        long holding = assignment.get().values().stream().filter(p -> !p.isEmpty()).count();
                        int total = assignment.get().values().stream().mapToInt(Set::size).sum();
                        if (assignment.get().size() == 2 && total == 4 && holding == 2) {
                            return true;
                        }
                        first.assertAlive("while the group forms");
                        second.assertAlive("while the group forms");
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            log.say("the two instances did not split the readings partitions within 2 min: " + assignment.get());
            // bothInstancesRunAndSplitThePartitions reports it
        }
        return assignment.get();
    }

    private static Set<Integer> partitionsOf(Map<String, Set<Integer>> assignment, String processId) {
        return assignment.entrySet().stream().filter(e -> e.getKey().contains(processId))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> union(java.util.Collection<Set<Integer>> sets) {
        Set<Integer> all = new TreeSet<>();
        sets.forEach(all::addAll);
        return all;
    }

    /** Waits for a valid model on the models topic; returns its version. */
    private long awaitModel(Duration timeout) {
        try {
            return await("a valid model on the models topic", timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
                outputs.drain(Duration.ofMinutes(2));
                return outputs.models.stream().filter(OutputTopics.Model::valid)
                        .mapToLong(OutputTopics.Model::version).max().orElse(0);
            }, version -> version > 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no model was trained within " + timeout.toSeconds() + " s; logs:\nfirst: "
                    + first.logTail(20) + "\nsecond: " + second.logTail(20), e);
        }
    }

    /** Waits until both instances logged that they use {@code version} (or a later one). */
    private void awaitInUse(long version, Duration timeout) {
        try {
            await("both instances using a model", timeout).pollInterval(Duration.ofMillis(500))
                    .until(() -> List.of(first, second).stream()
                            .allMatch(i -> i.log().matches("(?s).*model 'default' version \\d+ is now in use.*")));
        } catch (ConditionTimeoutException e) {
            // The phases after it tell whether the instances serve it.
        }
    }

    /** Per sensor, its last window.length values among the plan's first {@code upTo} items. */
    private Map<String, double[]> lastValues(int upTo) {
        Map<String, List<Double>> values = new HashMap<>();
        for (TrafficPlan.Item item : plan.items().subList(0, upTo)) {
            if (item.kind() == TrafficPlan.Kind.VALID) {
                values.computeIfAbsent(item.sensor(), s -> new ArrayList<>()).add(item.reading());
            }
        }
        Map<String, double[]> out = new HashMap<>();
        values.forEach((sensor, list) -> out.put(sensor, list.subList(Math.max(0, list.size()
                - FaultCluster.WINDOW_LENGTH), list.size()).stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * For every sensor of the partitions the second instance held: its first reading after the kill has a forecast
     * whose window holds the two readings before it, from before the kill.
     */
    private void checkMovedWindows(int phase3) {
        Set<Integer> moved = partitionsBefore.get("second");
        Map<String, double[]> expected = new HashMap<>();
        Map<String, Long> firstTimestamp = new HashMap<>();
        Map<String, double[]> before = lastValues(phase3);
        for (int i = phase3; i < plan.size(); i++) {
            TrafficPlan.Item item = plan.items().get(i);
            if (item.kind() != TrafficPlan.Kind.VALID || !moved.contains(producer.partition(i))
                    || firstTimestamp.containsKey(item.sensor())) {
                continue;
            }
            double[] b = before.get(item.sensor());
            double[] window = Arrays.copyOf(Arrays.copyOfRange(b, b.length - 2, b.length), 3);
            window[2] = item.reading();
            expected.put(item.sensor(), window);
            firstTimestamp.put(item.sensor(), item.timestamp());
        }
        movedSensors = expected.size();
        Map<String, OutputTopics.Forecast> forecasts = new HashMap<>();
        for (OutputTopics.Forecast f : outputs.forecasts) {
            if (firstTimestamp.containsKey(f.sensor()) && f.timestamp() == firstTimestamp.get(f.sensor())) {
                forecasts.put(f.sensor(), f);
            }
        }
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            OutputTopics.Forecast f = forecasts.get(e.getKey());
            if (f == null || !Arrays.equals(f.window(), e.getValue())) {
                movedWithoutFullWindowForecast.add(e.getKey() + (f == null ? ": no forecast" : ": window "
                        + Arrays.toString(f.window()) + ", expected " + Arrays.toString(e.getValue())));
            }
        }
        log.say(movedSensors + " sensors moved; " + movedWithoutFullWindowForecast.size()
                + " without a full-window forecast at their first reading after the move");
    }

    private static String head(List<String> problems) {
        return problems.size() + " problems, e.g. " + problems.stream().limit(10).toList();
    }
}
