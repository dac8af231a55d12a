package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed records mixed into valid traffic (random bytes, broken and deeply nested JSON, numbers as strings, NaN
 * and Infinity, 1e308, empty and 10 kB keys, timestamps far in the past and the future, invalid UTF-8) and exact
 * redeliveries. The service never restarts: the process stays up and no stream thread dies; every bad record is in
 * the dead-letter topic with its reason, the redeliveries leave no trace, and the valid readings are untouched.
 */
@Tag("faults")
class MalformedInputTest extends FaultScenario {

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void malformedRecordsGoToTheDeadLetterTopicAndNeverStopTheService() {
        open("malformed input", "malformed");
        ServiceInstance service = cluster.instance("streamcast", Map.of()).start(Duration.ofMinutes(2));
        long pid = service.pid();
        TrafficPlan plan = TrafficPlan.build(suite.sensors(), suite.readingsPerSensor(), suite.malformed(), 100, seed);
        LoadProducer producer = cluster.producer(plan);
        OutputTopics outputs = cluster.outputs();
        log.say("sending " + plan.size() + " records: " + plan.count(TrafficPlan.Kind.VALID) + " valid, "
                + plan.count(TrafficPlan.Kind.BAD) + " malformed of kinds " + plan.badKinds() + ", "
                + plan.count(TrafficPlan.Kind.DUPLICATE) + " redeliveries");

        producer.sendAndWait(0, plan.size(), suite.readingsPerSecond(), Duration.ofMinutes(15));
        Duration catchUp = cluster.awaitCaughtUp(Duration.ofMinutes(5), List.of(service));
        log.say("all acknowledged; caught up " + catchUp.toMillis() + " ms later");
        ConservationVerifier.Report report = cluster.verify(producer, outputs, Duration.ofSeconds(60));
        log.say(report.summary());
        List<String> replaced = service.threadReplacements();
        boolean pass = report.ok() && replaced.isEmpty() && service.isAlive();
        log.result(suite, seed, (pass ? "PASS" : "FAIL") + ": " + report.counts.get("bad records sent")
                + " malformed records, " + report.counts.get("dead letters matched") + " in the DLQ with a reason "
                + report.deadLettersByReason + ", " + report.counts.get("redeliveries sent") + " redeliveries dropped, "
                + report.counts.get("forecasts matched") + "/" + report.counts.get("forecasts expected")
                + " forecasts, " + replaced.size() + " stream threads replaced");

        assertTrue(report.ok(), report.summary());
        service.assertAlive("after the malformed records");
        assertEquals(pid, service.pid(), "the same process throughout");
        assertTrue(replaced.isEmpty(), "no stream thread died and was replaced: " + replaced);
        assertEquals(report.counts.get("bad records sent"), report.counts.get("dead letters matched"),
                "every malformed record is in the dead-letter topic");
    }
}
