package dev.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.cli.files.UserInputException;
import dev.streamcast.cli.runtime.DemoSensors;
import dev.streamcast.cli.runtime.DemoSummary;
import dev.streamcast.cli.runtime.ServiceRuntime;
import dev.streamcast.cli.runtime.UntilShutdown;
import dev.streamcast.config.StreamcastConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamcast demo}: the service plus a producer of the {@link DemoSensors}, with a one-line summary every
 * few seconds. Retraining is set to start early, so a first trained model appears within a minute. About one
 * record in {@value #BAD_EVERY} is deliberately bad, to show the dead-letter topic at work; the banner says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the service with a producer of sample sensors (about 1 record in " + DemoCommand.BAD_EVERY
                + " deliberately bad, for the dead-letter topic) and prints a summary every few seconds.")
final class DemoCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "N",
            description = "Readings per second per sensor (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: until Ctrl-C).")
    Long durationSeconds;

    @Option(names = "--every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between two summary lines (default: ${DEFAULT-VALUE}).")
    long summarySeconds;

    /** One record in this many is a bad one (broken JSON, NaN, a missing key...), for the dead-letter topic. */
    static final int BAD_EVERY = 97;

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
        if (summarySeconds < 1 || summarySeconds > 3600) {
            throw new UserInputException("--every: expected 1 to 3600 seconds, got " + summarySeconds);
        }
        StreamcastConfig loaded = configuration.load(DEMO_DEFAULTS);
        ServiceRuntime runtime = ServiceRuntime.start(loaded);
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(runtime, running), "demo-producer");
        Thread printer = new Thread(() -> printSummaries(runtime, running, out), "demo-printer");
        AutoCloseable stop = () -> {
            running.set(false);
            producer.join(10_000); // returns at once for a thread never started
            printer.join(10_000);
            runtime.close();
        };
        Runnable announce = () -> {
            out.printf(Locale.ROOT, "Streamcast demo: %d sensors, %.1f readings/s each; about 1 record in %d is "
                    + "deliberately bad (broken JSON, NaN, no key...) and goes to the dead-letter topic '%s'.%n",
                    DemoSensors.SENSORS.size(), rate, BAD_EVERY, runtime.service().settings().topics().dlq());
            out.printf("Kafka at %s, dashboard at %s. A summary every %d s; Ctrl-C stops it.%n",
                    runtime.bootstrapServers(), runtime.dashboardUrl(), summarySeconds);
            out.flush();
            runtime.announceWhenReady(out);
            producer.start();
            printer.start();
        };
        if (durationSeconds != null) {
            announce.run();
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
        UntilShutdown.await(stop, announce);
    }

    private void produce(ServiceRuntime runtime, AtomicBoolean running) {
        Properties props = new Properties();
        props.putAll(runtime.service().config().kafkaProperties());
        props.put("acks", "all");
        props.put("linger.ms", "5");
        String topic = runtime.service().settings().topics().readings();
        DemoSensors sensors = new DemoSensors(System.nanoTime(), BAD_EVERY);
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

    /** Counts the forecasts and dead letters the service writes, and prints a summary line every interval. */
    private void printSummaries(ServiceRuntime runtime, AtomicBoolean running, PrintWriter out) {
        Properties props = new Properties();
        props.putAll(runtime.service().config().kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "streamcast-demo-printer-" + System.nanoTime());
        String forecasts = runtime.service().settings().topics().forecasts();
        String dlq = runtime.service().settings().topics().dlq();
        ObjectMapper json = new ObjectMapper();
        DemoSummary summary = new DemoSummary();
        long started = System.nanoTime();
        long nextLine = started + TimeUnit.SECONDS.toNanos(summarySeconds);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(forecasts, dlq));
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(dlq)) {
                        summary.deadLetter();
                        continue;
                    }
                    JsonNode f = json.readTree(r.value());
                    summary.forecast(f.path("sensorId").asText(), f.path("model").asText(),
                            f.path("modelVersion").asLong(), f.path("forecast").asDouble());
                }
                long now = System.nanoTime();
                if (now >= nextLine) {
                    out.println(summary.line(TimeUnit.NANOSECONDS.toSeconds(now - started),
                            DemoSensors.SENSORS.size()));
                    out.flush();
                    nextLine += TimeUnit.SECONDS.toNanos(summarySeconds);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("the demo's summary printer stopped", e);
        }
    }
}
