package dev.streamcast.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (part of the full form, {@code -Dstreamcast.faults=full}, or alone with {@code -Dstreamcast.soak=true}):
 * {@code streamcast run} on its single embedded broker for 30 minutes ({@code -Dstreamcast.soak.minutes}) at 5,000
 * readings/s over 1,000 sensors, retraining every minute. Each minute: the process's live heap after a forced GC,
 * its resident memory (RocksDB's native memory is the usual leak), open file descriptors, threads, and the p99 of
 * the forecasts' latency (a read_committed consumer's clock minus the reading's timestamp), and how many readings
 * were produced and forecasts seen. {@link SoakMinutes} judges them: forecasts must keep coming every minute (a stalled
 * minute fails), and the median of the last sixth of the minutes may exceed that of the second sixth (minutes 5-10 of
 * 30) by at most 10 % on each figure. A failed read of the service's /metrics fails the soak.
 */
@Tag("faults")
class SoakTest {

    private static final int SENSORS = 1_000;
    private static final int READINGS_PER_SECOND = 5_000;
    private static final double TOLERANCE = 1.10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private JvmProcess service;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
        if (service != null) {
            service.destroyQuietly();
            keepLog();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void thirtyMinutesAtFiveThousandReadingsASecondLeakNothing() throws Exception {
        Assumptions.assumeTrue(FaultSuite.isFull() || Boolean.getBoolean("streamcast.soak"),
                "the soak runs in the full form (-Dstreamcast.faults=full) or with -Dstreamcast.soak=true");
        int minutes = Integer.getInteger("streamcast.soak.minutes", 30);
        ScenarioLog log = new ScenarioLog("soak");
        int kafkaPort = FaultCluster.freePort();
        int httpPort = FaultCluster.freePort();
        List<String> args = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("embedded.kafka.port", Integer.toString(kafkaPort));
        settings.put("embedded.kafka.dir", dir.resolve("kafka").toString());
        settings.put("kafka.state.dir", dir.resolve("state").toString());
        settings.put("http.port", Integer.toString(httpPort));
        settings.put("http.admin.token", FaultCluster.ADMIN_TOKEN);
        // A retraining every minute, whatever the number of samples.
        settings.put("retrain.every", "1m");
        settings.put("retrain.every.samples", "100000000");
        settings.put("retrain.min.samples", "500");
        settings.put("retrain.epochs", "5");
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        service = JvmProcess.start("soak", dir, "1g", List.of(), "run", args);
        service.awaitOutput(ServiceInstance.RUNNING, Duration.ofMinutes(2));
        String bootstrap = "127.0.0.1:" + kafkaPort;

        AtomicReference<Exception> failure = new AtomicReference<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong produced = new AtomicLong();
        start("soak-producer", () -> produce(bootstrap, produced), failure);
        start("soak-consumer", () -> consume(bootstrap, latencies), failure);

        List<SoakMinutes.Minute> perMinute = new ArrayList<>();
        long start = System.nanoTime();
        for (int minute = 1; minute <= minutes; minute++) {
            long due = start + TimeUnit.MINUTES.toNanos(minute);
            while (System.nanoTime() < due) {
                if (!service.isAlive()) {
                    throw new AssertionError("the service ended in minute " + minute + "; its log ends with:\n"
                            + service.logTail(60));
                }
                if (failure.get() != null) {
                    throw new AssertionError("the soak's client failed: " + failure.get(), failure.get());
                }
                JvmProcess.sleep(1000);
            }
            long[] minuteLatencies = drain(latencies);
            long minuteProduced = produced.getAndSet(0);
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("live heap MB", liveHeapBytes(httpPort) / 1e6);
            figures.put("resident MB", statusValue("VmRSS") / 1024.0);
            figures.put("open files", (double) openFiles());
            figures.put("threads", (double) statusValue("Threads"));
            figures.put("p99 ms", percentile(minuteLatencies, 0.99));
            SoakMinutes.Minute m = new SoakMinutes.Minute(minute, minuteProduced, minuteLatencies.length, figures);
            perMinute.add(m);
            log.say("minute " + minute + ": " + figures + ", " + minuteLatencies.length + " forecasts for "
                    + minuteProduced + " readings, retrainings so far " + retrainings());
            // A stalled minute ends the soak at once: the remaining minutes cannot make it pass.
            assertEquals(List.of(), SoakMinutes.problems(m), "minute " + minute);
        }
        running.set(false);

        int sixth = minutes / 6;
        List<String> problems = SoakMinutes.problems(perMinute, TOLERANCE);
        log.result(FaultSuite.current(), 0, (problems.isEmpty() ? "PASS" : "FAIL " + problems) + ": minutes "
                + (sixth + 1) + "-" + (2 * sixth) + " median " + SoakMinutes.medians(perMinute.subList(sixth,
                2 * sixth)) + "; minutes " + (minutes - sixth + 1) + "-" + minutes + " median "
                + SoakMinutes.medians(perMinute.subList(minutes - sixth, minutes)) + "; retrainings "
                + retrainings());
        assertTrue(retrainings() >= minutes - 2, "a retraining every minute: " + retrainings());
        assertEquals(List.of(), problems);
    }

    private void start(String name, Runnable body, AtomicReference<Exception> failure) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** 5,000 readings a second, round-robin over the sensors, each stamped with the wall clock. */
    private void produce(String bootstrap, AtomicLong produced) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long[] last = new long[SENSORS];
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            long begin = System.nanoTime();
            for (long n = 0; running.get(); n++) {
                if (n % 50 == 0) {
                    long wait = begin + n * 1_000_000_000L / READINGS_PER_SECOND - System.nanoTime();
                    if (wait > 0) {
                        JvmProcess.sleep(wait / 1_000_000);
                    }
                }
                int s = (int) (n % SENSORS);
                long timestamp = Math.max(System.currentTimeMillis(), last[s] + 1);
                last[s] = timestamp;
                double value = 20 + (s % 17) + 3 * Math.sin(n / (double) SENSORS / 30.0);
                producer.send(new ProducerRecord<>("sensor-readings", TrafficPlan.sensorId(s),
                        "{\"value\": " + value + ", \"timestamp\": " + timestamp + "}"));
                produced.incrementAndGet();
            }
        }
    }

    /** Every forecast's latency: this clock when it became visible minus the timestamp of its reading. */
    private void consume(String bootstrap, ConcurrentLinkedQueue<Long> latencies) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "soak-latency");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("sensor-forecasts"));
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.currentTimeMillis();
                    try {
                        JsonNode node = JSON.readTree(r.value());
                        latencies.add(now - Instant.parse(node.path("timestamp").asText()).toEpochMilli());
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException("unreadable forecast " + r.value(), e);
                    }
                }
            }
        }
    }

    private static long[] drain(ConcurrentLinkedQueue<Long> queue) {
        List<Long> out = new ArrayList<>();
        Long l;
        while ((l = queue.poll()) != null) {
            out.add(l);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** jcmd GC.run, then the heap in use from the process's own /metrics. */
    private double liveHeapBytes(int httpPort) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .header("Authorization", "Bearer " + FaultCluster.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + metrics.statusCode() + ": " + metrics.body());
        }
        double heap = 0;
        boolean found = false;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no jvm_memory_used_bytes{area=\"heap\"} in /metrics: " + metrics.body());
        }
        return heap;
    }

    private long statusValue(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + service.pid() + "/status");
    }

    private long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(service.pid()), "fd"))) {
            return fds.count();
        }
    }

    private long retrainings() {
        return service.log().lines().filter(l -> l.contains("retraining model '")).count();
    }

    private void keepLog() {
        try {
            Path target = Path.of("target", "fault-suite", "logs", "soak");
            Files.createDirectories(target);
            Files.copy(service.logFile(), target.resolve("soak.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.out.println("could not keep the soak's log: " + e);
        }
    }
}
