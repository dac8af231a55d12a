package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An upgrade from commit 9475919 (sensor states in format 8, its model documents) to the version under test, the
 * supported way (docs/operations.md, Upgrading): every old instance stopped, the new version started on the same
 * topics. A read_committed verifier then finds every valid reading, before and after the upgrade, accounted for
 * exactly once (one forecast, from the right window: a window that reaches back across the upgrade is the old
 * state read; one accuracy record, one training sample), model versions that never go backwards, and every
 * forecast after the upgrade made by the newest model 9475919 trained (the new version is kept from retraining).
 *
 * <p>Two forms:
 * <ul>
 *   <li>{@link #takesOverTheTopicsOf9475919} (CI): the old deployment's topics and consumer groups as 9475919 left
 *       them, kept in {@code src/test/resources/upgrade/9475919/} ({@link RecordedDeployment}), are written to a
 *       fresh broker; the new version starts with no local state and rebuilds it from the format-8 changelog.</li>
 *   <li>{@link #upgradesARunning9475919Deployment} (full form, with {@code -Dstreamcast.upgrade.old-jar=JAR}, the
 *       jar {@code src/test/scripts/build-9475919.sh} builds): 9475919's jar runs the first part of the traffic, is
 *       stopped, and the new version starts on the same local state directory (RocksDB as 9475919 left it) and
 *       topics. With {@code -Dstreamcast.upgrade.record=DIR} it also records the old deployment into DIR: how the
 *       test resources were made.</li>
 * </ul>
 */
@Tag("faults")
class UpgradeFrom9475919Test extends FaultScenario {

    static final String RESOURCES = "upgrade/9475919";
    static final String OLD_JAR_PROPERTY = "streamcast.upgrade.old-jar";
    static final String RECORD_PROPERTY = "streamcast.upgrade.record";
    /** The plan: sensors, readings each (the first OLD_ROUNDS by 9475919, the rest by the new version). */
    static final int SENSORS = 20;
    static final int ROUNDS = 90;
    static final int OLD_ROUNDS = 60;
    static final int DUPLICATES = 6;
    static final int READINGS_PER_SECOND = 100;

    /**
     * Both versions' settings beyond the fault suite's: retraining every 400 samples, long enough for a model that
     * beats the naive forecast within the old part's 1,200 readings.
     */
    static Map<String, String> settings() {
        return Map.of("retrain.every.samples", "400", "retrain.min.samples", "300", "retrain.epochs", "30");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void takesOverTheTopicsOf9475919() {
        RecordedDeployment old = RecordedDeployment.load(RESOURCES);
        ObjectNode run = old.info();
        begin("upgrade from 9475919's recorded topics");
        startCluster("upgrade");
        assertEquals(cluster.applicationId(), run.path("applicationId").asText(), "the recorded application id");
        Map<TopicPartition, Map<Long, Long>> moved = old.restore(cluster.bootstrap());
        log.say("wrote 9475919's " + old.topicNames().size() + " topics " + old.topicNames() + " and groups "
                + old.groups().keySet() + " to a fresh broker");

        TrafficPlan plan = TrafficPlan.build(run.path("sensors").asInt(), run.path("rounds").asInt(), 0,
                run.path("duplicates").asInt(), run.path("seed").asLong(), run.path("planBuiltAt").asLong());
        LoadProducer producer = cluster.producer(plan);
        int oldItems = run.path("oldItems").asInt();
        for (int i = 0; i < oldItems; i++) {
            int partition = run.path("ledger").get(i).get(0).asInt();
            long offset = run.path("ledger").get(i).get(1).asLong();
            Long now = moved.get(new TopicPartition("sensor-readings", partition)).get(offset);
            // Written without transactions, the readings keep their offsets: the states' last offsets stay true.
            assertEquals(offset, now, "reading " + i + " written again at its recorded offset");
            producer.delivered(i, partition, offset);
        }
        ServiceInstance service = cluster.instance("streamcast", settings());
        takeOver(service, plan, producer, oldItems, "no local state: the stores rebuilt from 9475919's changelogs");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void upgradesARunning9475919Deployment() {
        String oldJar = System.getProperty(OLD_JAR_PROPERTY, "");
        Assumptions.assumeTrue(!oldJar.isBlank(), "the full form runs 9475919's jar: build it with "
                + "src/test/scripts/build-9475919.sh and pass -D" + OLD_JAR_PROPERTY + "=JAR");
        Path jar = Path.of(oldJar).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " does not exist");
        open("upgrade from a running 9475919", "upgrade");
        long planBuiltAt = System.currentTimeMillis();
        TrafficPlan plan = TrafficPlan.build(SENSORS, ROUNDS, 0, DUPLICATES, seed, planBuiltAt);
        LoadProducer producer = cluster.producer(plan);
        int oldItems = plan.roundStart(OLD_ROUNDS);

        ServiceInstance service = cluster.instance("streamcast", settings()).runFrom(jar).start(Duration.ofMinutes(2));
        log.say("9475919 (" + jar + ") runs; sending " + oldItems + " records");
        producer.sendAndWait(0, oldItems, READINGS_PER_SECOND, Duration.ofMinutes(5));
        cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        long trained = awaitTrainedModel(Duration.ofMinutes(5));
        log.say("9475919 caught up and published model version " + trained + "; stopping it");
        service.stop();

        String record = System.getProperty(RECORD_PROPERTY, "");
        if (!record.isBlank()) {
            ObjectNode run = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("commit", "9475919").put("applicationId", cluster.applicationId())
                    .put("sensors", SENSORS).put("rounds", ROUNDS).put("oldRounds", OLD_ROUNDS)
                    .put("duplicates", DUPLICATES).put("seed", seed).put("planBuiltAt", planBuiltAt)
                    .put("oldItems", oldItems).put("windowLength", FaultCluster.WINDOW_LENGTH);
            com.fasterxml.jackson.databind.node.ObjectNode recordedSettings = run.putObject("settings");
            settings().forEach(recordedSettings::put);
            com.fasterxml.jackson.databind.node.ArrayNode ledger = run.putArray("ledger");
            for (int i = 0; i < oldItems; i++) {
                ledger.addArray().add(producer.partition(i)).add(producer.offset(i));
            }
            RecordedDeployment.record(cluster.bootstrap(), run, Path.of(record));
            log.say("recorded the old deployment in " + record);
        }
        takeOver(service.runFrom(null), plan, producer, oldItems, "on 9475919's local state directory");
    }

    /** The highest valid model version on the models topic once there is one above 0 (trained, not the seed). */
    private long awaitTrainedModel(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (OutputTopics models = new OutputTopics(cluster.bootstrap(), OutputTopics.Names.defaults())) {
                models.drain(Duration.ofMinutes(1));
                long latest = models.models.stream().filter(OutputTopics.Model::valid)
                        .mapToLong(OutputTopics.Model::version).max().orElse(0);
                if (latest > 0) {
                    return latest;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("9475919 published no trained model within " + timeout.toSeconds() + " s");
            }
            JvmProcess.sleep(2000);
        }
    }

    /**
     * The new version takes over: it starts, the rest of the plan is sent, and the verifier reads everything back.
     */
    private void takeOver(ServiceInstance service, TrafficPlan plan, LoadProducer producer, int oldItems,
                          String how) {
        OutputTopics outputs = cluster.outputs();
        outputs.drain(Duration.ofMinutes(2));
        long oldModel = outputs.models.stream().filter(OutputTopics.Model::valid)
                .mapToLong(OutputTopics.Model::version).max().orElse(0);
        int oldForecasts = outputs.forecasts.size();
        assertTrue(oldModel > 0, "9475919 left a trained model on the models topic");
        assertTrue(oldForecasts > 0, "9475919 left forecasts");

        // The new version trains no model of its own during the check (the restored buffer and schedule would let
        // it retrain within seconds): every forecast after the upgrade is then 9475919's newest model's.
        service.set("retrain.every.samples", "1000000");
        service.set("retrain.every", "2d");
        service.start(Duration.ofMinutes(2));
        log.say("the new version runs (" + how + "); 9475919 left " + oldForecasts + " forecasts and model version "
                + oldModel + "; sending the other " + (plan.size() - oldItems) + " records");
        producer.sendAsync(oldItems, plan.size(), READINGS_PER_SECOND);
        producer.awaitAcked(plan.size(), Duration.ofMinutes(5));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));

        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        // Every forecast after the upgrade: made by the newest model the old version trained.
        Map<String, Long> firstAfter = new HashMap<>();
        for (TrafficPlan.Item item : plan.items().subList(oldItems, plan.size())) {
            if (item.kind() == TrafficPlan.Kind.VALID) {
                firstAfter.putIfAbsent(item.sensor(), item.timestamp());
            }
        }
        long after = 0;
        List<String> notOldModel = new ArrayList<>();
        for (OutputTopics.Forecast f : outputs.forecasts) {
            Long first = firstAfter.get(f.sensor());
            if (first != null && f.timestamp() >= first) {
                after++;
                if (!"lstm".equals(f.model()) || f.modelVersion() != oldModel) {
                    notOldModel.add(f.sensor() + "@" + f.timestamp() + ": " + f.model() + " v" + f.modelVersion());
                }
            }
        }
        log.result(suite, seed, (report.ok() && notOldModel.isEmpty() ? "PASS" : "FAIL") + ": upgrade from 9475919 ("
                + how + "), " + report.counts.get("forecasts matched") + "/" + report.counts.get("forecasts expected")
                + " forecasts, those after it by 9475919's model v" + oldModel + ": " + (after - notOldModel.size())
                + "/" + after + ", caught up " + catchUp.toSeconds() + " s after the producer finished");
        assertTrue(report.ok(), report.summary());
        assertEquals((long) firstAfter.size() * (ROUNDS - OLD_ROUNDS), after, "forecasts after the upgrade");
        assertTrue(notOldModel.isEmpty(), notOldModel.size() + " forecasts after the upgrade not made by 9475919's "
                + "model v" + oldModel + ", e.g. " + notOldModel.subList(0, Math.min(5, notOldModel.size())));
        service.assertAlive("at the end");
    }
}
