package dev.streamcast.bench.e2e;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the throughput comparison's input before either topology starts, as fast as the broker takes it, so both
 * topologies drain exactly the same records.
 */
final class Preload {

    private static final Logger LOG = LoggerFactory.getLogger(Preload.class);
    /** One step of a sensor's readings: the record timestamps of a sensor are this far apart. */
    static final long STEP_MS = 1_000;

    private Preload() {
    }

    /**
     * Produces readings 0 to {@code count - 1} to {@code topic}. Each sensor's readings are stamped one
     * {@link #STEP_MS} apart, ending now: a sensor's readings must have increasing timestamps (the stream refuses
     * a reading not after the last one), and stamps in the past pass the input.max-future-skew check.
     *
     * @throws IllegalStateException if the broker refused a record
     */
    static void produce(Properties clientProps, String topic, Readings readings, long count) {
        produce(clientProps, topic, readings, count, false);
    }

    /**
     * As {@link #produce(Properties, String, Readings, long)}; with {@code json}, each value is a JSON object that
     * also carries the timestamp, e.g. {@code {"value":21.437,"timestamp":1765100000000}}, the shape most producers
     * write (and the one the side-by-side harness of issue 27 preloaded).
     */
    static void produce(Properties clientProps, String topic, Readings readings, long count, boolean json) {
        Properties props = new Properties();
        props.putAll(clientProps);
        // Large batches: the preload is not measured, it only has to be quick.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "streamcast-e2e-preload");
        // One request in flight: on a topic created a moment before, the first produce request can come back
        // NOT_LEADER_OR_FOLLOWER while later ones already land; its retry (sequence 0) was then refused as out of
        // order for good and the preload timed out after 120 s (seen once, on a loaded machine).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        long steps = (count + readings.sensors() - 1) / readings.sensors();
        long firstTimestamp = System.currentTimeMillis() - steps * STEP_MS;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                long timestamp = firstTimestamp + (i / readings.sensors()) * STEP_MS;
                String value = json ? "{\"value\":" + readings.value(i) + ",\"timestamp\":" + timestamp + "}"
                        : readings.value(i);
                producer.send(new ProducerRecord<>(topic, null, timestamp, readings.sensorId(i), value),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("cannot preload the readings to " + topic + ": " + failure.get(),
                    failure.get());
        }
        LOG.info("preloaded {} readings to {} in {} ms", count, topic, (System.nanoTime() - started) / 1_000_000);
    }
}
