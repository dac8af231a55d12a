package dev.streamcast.stream;

import static dev.streamcast.testing.Waits.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.config.Topics;
import dev.streamcast.kafka.EmbeddedKafkaBroker;
import dev.streamcast.kafka.TestBrokers;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.testing.BrokerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the mapped formats' repartition costs, for docs/connecting.md: the same paced readings through the auto format
 * (keyed by sensor) and through input.format=json (the id inside, no key), each on a fresh embedded broker at the
 * service's defaults; prints the latency from a reading's timestamp (its send time) to its forecast read with
 * read_committed, and the repartition topic's bytes on disk per reading. Not a test (it asserts nothing):
 * {@code java -cp target/classes:target/test-classes:$(deps) dev.streamcast.stream.MeasureRepartitionCost
 * [readings per second] [seconds] [rounds]}.
 */
public final class MeasureRepartitionCost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENSORS = 100;
    private static final int PARTITIONS = 4;

    private MeasureRepartitionCost() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        // Alternating rounds in one JVM: the first round's figures include the JIT's warm-up.
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int round = 0; round < rounds; round++) {
            for (String format : List.of("auto", "json")) {
                Path dir = Files.createTempDirectory("repartition-cost");
                try (EmbeddedKafkaBroker broker = TestBrokers.startIn(dir.resolve("broker"))) {
                    run(format, broker.bootstrapServers(), dir.resolve("state"), rate, seconds);
                }
            }
        }
    }

    private static void run(String format, String bootstrap, Path state, int rate, int seconds) throws Exception {
        String applicationId = "cost-" + UUID.randomUUID();
        Map<String, String> m = BrokerSettings.service(bootstrap, applicationId, state);
        m.put("topics.partitions", Integer.toString(PARTITIONS));
        m.put("input.format", format);
        if (format.equals("json")) {
            m.put("input.json.sensor", "/device");
            m.put("input.json.values", "/value");
            m.put("input.json.timestamp", "/ts");
        }
        StreamcastConfig config = StreamcastConfig.of(m);
        Topics topics = Topics.from(config);
        try (StreamcastService service = new StreamcastService(config)) {
            service.start();
            await("the service running", Duration.ofSeconds(120)).until(service::isRunning);
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long start = System.currentTimeMillis();
            Thread reader = new Thread(() -> read(bootstrap, topics.forecasts(), start + 5_000,
                    start + seconds * 1000L + 10_000, latencies));
            reader.start();
            int sent = produce(bootstrap, topics.readings(), format, rate, seconds);
            reader.join();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long bytes = repartitionBytes(bootstrap, applicationId + "-" + StreamNames.BY_SENSOR_REPARTITION
                    + "-repartition");
            System.out.printf(Locale.ROOT, "%s: %d readings at %d/s; forecast latency ms p50 %d, p95 %d, p99 %d "
                    + "(%d forecasts after the first 5 s); repartition topic %.1f bytes per reading%n", format, sent,
                    rate, pct(sorted, 0.5), pct(sorted, 0.95), pct(sorted, 0.99), sorted.size(),
                    (double) bytes / sent);
        }
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    /** Readings paced at {@code rate} per second, each stamped with its send time; returns how many. */
    private static int produce(String bootstrap, String topic, String format, int rate, int seconds) {
        Properties props = BrokerSettings.client(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        int sent = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; i < (long) rate * seconds; i++) {
                long due = start + i * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                int s = (int) (i % SENSORS);
                long now = System.currentTimeMillis();
                double value = s + Math.sin(i / (double) SENSORS / 10);
                if (format.equals("json")) {
                    // No key; a device stays on one partition, as a keyed producer would keep it.
                    producer.send(new ProducerRecord<>(topic, s % PARTITIONS, null, String.format(Locale.ROOT,
                            "{\"device\":\"sensor-%d\",\"ts\":%d,\"value\":%.4f}", s, now, value)));
                } else {
                    producer.send(new ProducerRecord<>(topic, "sensor-" + s, String.format(Locale.ROOT,
                            "{\"value\":%.4f,\"timestamp\":%d}", value, now)));
                }
                sent++;
            }
            producer.flush();
        }
        return sent;
    }

    private static void read(String bootstrap, String topic, long from, long until, List<Long> latencies) {
        Properties props = BrokerSettings.verifier(bootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    JsonNode forecast = JSON.readTree(r.value());
                    long sentAt = Instant.parse(forecast.path("timestamp").asText()).toEpochMilli();
                    if (sentAt >= from) {
                        latencies.add(now - sentAt);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long repartitionBytes(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            long bytes = 0;
            for (Map<String, LogDirDescription> dirs
                    : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(topic)) {
                            bytes += e.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }
}
