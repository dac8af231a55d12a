package dev.streamcast.backtest;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a history of readings to the readings topic, as live sensors would: in timestamp order (ties in file
 * order), keyed by sensor id, each value {@code {"value":..,"timestamp":..}} with the reading's own time, at a
 * given rate or as fast as the producer goes. The records' own timestamps are the time of publishing, so the
 * topic's time-based retention counts from the replay, not from the history's dates.
 */
public final class ReadingsReplay {

    private static final int PROGRESS_STEPS = 10;

    private final Properties kafka;
    private final String topic;
    private final Consumer<String> progress;

    /**
     * @param kafka    the producer's configuration (bootstrap servers, security); serializers are set here
     * @param progress receives a line at each tenth of the readings and at the end
     */
    public ReadingsReplay(Properties kafka, String topic, Consumer<String> progress) {
        this.kafka = kafka;
        this.topic = topic;
        this.progress = progress;
    }

    /**
     * Publishes every reading and waits until the broker has acknowledged each one.
     *
     * @param rate readings per second; 0 for as fast as possible
     * @throws KafkaException when a reading cannot be published (the first failure)
     */
    public void publish(List<SensorReading> readings, double rate) {
        List<SensorReading> ordered = SensorReading.inTimestampOrder(readings);
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A broker that is not there fails the replay within half a minute rather than the default minute.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        int reported = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < ordered.size(); i++) {
                if (rate > 0) {
                    // Reading i is due i / rate seconds after the start.
                    long due = started + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                SensorReading reading = ordered.get(i);
                producer.send(new ProducerRecord<>(topic, reading.sensorId(), reading.toJson()), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                if (failure.get() != null) {
                    break;
                }
                // A line at each tenth of the readings; the last one once all are acknowledged.
                int tenth = (int) ((long) PROGRESS_STEPS * (i + 1) / ordered.size());
                if (tenth > reported && i + 1 < ordered.size()) {
                    reported = tenth;
                    progress.accept(line(i + 1, ordered.size(), started));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            Exception e = failure.get();
            throw e instanceof KafkaException k ? k : new KafkaException(e.getMessage(), e);
        }
        progress.accept(line(ordered.size(), ordered.size(), started) + ", all acknowledged");
    }

    private String line(int done, int total, long startedNanos) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
        return String.format("%,d/%,d readings to %s (%d%%), %.1f s, %,.0f readings/s", done, total, topic,
                (int) (100L * done / total), seconds, done / seconds);
    }
}
