package dev.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.stream.StreamcastConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code streamcast demo}: the service plus a producer of the {@link DemoSensors}, printing forecasts as they
 * arrive. Retraining is set to start early, so a first trained model appears within a minute.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the service with a producer of sample sensors and prints the forecasts.")
final class DemoCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "N",
            description = "Readings per second per sensor (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: until Ctrl-C).")
    Long durationSeconds;

    /** Retraining early and often, so the demo shows a trained model within a minute. */
    static final Map<String, String> DEMO_DEFAULTS = Map.of(
            "retrain.min.samples", "200",
            "retrain.every.samples", "300",
            "retrain.every", "30s",
            "retrain.epochs", "15");

    @Override
    public void run() {
        if (!(rate > 0 && rate <= 1000)) {
            throw new UserInputException("--rate: expected a number of readings per second in (0, 1000], got " + rate);
        }
        StreamcastConfig loaded = configuration.load(DEMO_DEFAULTS);
        ServiceRuntime runtime = ServiceRuntime.start(loaded);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Streamcast demo: %d sensors, %.1f readings/s each, Kafka at %s, dashboard at %s. Ctrl-C stops it.%n",
                DemoSensors.SENSORS.size(), rate, runtime.bootstrapServers(), runtime.dashboardUrl());
        out.flush();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(runtime, running), "demo-producer");
        Thread printer = new Thread(() -> printForecasts(runtime, running, out), "demo-printer");
        producer.start();
        printer.start();
        AutoCloseable stop = () -> {
            running.set(false);
            producer.join(10_000);
            printer.join(10_000);
            runtime.close();
        };
        if (durationSeconds != null) {
            try {
                Thread.sleep(durationSeconds * 1000);
                stop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("demo shutdown failed", e);
            }
            return;
        }
        RunCommand.awaitShutdown(stop);
    }

    private void produce(ServiceRuntime runtime, AtomicBoolean running) {
        Properties props = new Properties();
        props.putAll(runtime.service().config().kafkaProperties());
        props.put("acks", "all");
        props.put("linger.ms", "5");
        String topic = runtime.service().settings().topics().readings();
        DemoSensors sensors = new DemoSensors(System.nanoTime(), 97);
        long intervalNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            long step = 0;
            long next = System.nanoTime();
            long timestamp = 0;
            while (running.get()) {
                // Readings carry the wall-clock time (strictly rising per sensor); the series' shape runs on
                // simulated time, five minutes a step, so a daily cycle shows within minutes.
                timestamp = Math.max(System.currentTimeMillis(), timestamp + 1);
                for (DemoSensors.Sensor sensor : DemoSensors.SENSORS) {
                    DemoSensors.Reading r = sensors.next(sensor, step, timestamp);
                    producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
                }
                step++;
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the demo producer stopped", e);
        }
    }

    private static void printForecasts(ServiceRuntime runtime, AtomicBoolean running, PrintWriter out) {
        Properties props = new Properties();
        props.putAll(runtime.service().config().kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "streamcast-demo-printer-" + System.nanoTime());
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(runtime.service().settings().topics().forecasts()));
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode f = json.readTree(r.value());
                    out.printf("%-24s %s  window %-40s -> %12.4f  (%s v%d)%n", f.path("sensorId").asText(),
                            f.path("timestamp").asText(), f.path("window").toString(), f.path("forecast").asDouble(),
                            f.path("model").asText(), f.path("modelVersion").asLong());
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("the demo's forecast printer stopped", e);
        }
    }
}
