package dev.streamcast.bench.e2e;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces readings at a fixed rate on a thread of its own until closed: the latency runs' sensors.
 *
 * <p>Open loop: reading {@code i} is due at {@code start + i / rate}, and its record timestamp is that due time,
 * not the moment {@code send} was finally called. A producer that falls behind (a GC pause, a starved core) then
 * shows up in the latency instead of silently lowering the load and hiding the stall (coordinated omission). The
 * producer uses the client defaults (acks=all, Kafka's default linger), like a sensor gateway would.
 */
final class PacedProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PacedProducer.class);
    /** Wake-ups are at most this far apart, and due readings are sent in a burst. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Properties props;
    private final String topic;
    private final Readings readings;
    private final int ratePerSecond;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile long sent;
    private volatile long maxLagNanos;

    private PacedProducer(Properties clientProps, String topic, Readings readings, int ratePerSecond,
                                  String name) {
        this.props = new Properties();
        props.putAll(clientProps);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        this.topic = topic;
        this.readings = readings;
        this.ratePerSecond = ratePerSecond;
        this.thread = new Thread(this::produce, name);
        thread.setDaemon(true);
    }

    /** Starts producing to {@code topic} at {@code ratePerSecond}. */
    static PacedProducer start(Properties clientProps, String topic, Readings readings,
                                       int ratePerSecond, String name) {
        PacedProducer producer = new PacedProducer(clientProps, topic, readings, ratePerSecond, name);
        producer.thread.start();
        return producer;
    }

    private void produce() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            long startNanos = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            long i = 0;
            while (!stopped && failure.get() == null) {
                long elapsed = System.nanoTime() - startNanos;
                long due = (long) (elapsed / 1e9 * ratePerSecond);
                for (; i <= due; i++) {
                    long scheduled = (long) (i * 1e9 / ratePerSecond);
                    maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - startNanos - scheduled);
                    long timestamp = startMillis + scheduled / 1_000_000;
                    producer.send(new ProducerRecord<>(topic, null, timestamp, readings.sensorId(i),
                            readings.value(i)), (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                }
                sent = i;
                long next = (long) (i * 1e9 / ratePerSecond);
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, Math.max(0, next - (System.nanoTime() - startNanos))));
            }
            producer.flush();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Readings handed to the producer so far. */
    long sent() {
        return sent;
    }

    /** How far behind its schedule the producer fell at most, in ms. */
    long maxLagMs() {
        return TimeUnit.NANOSECONDS.toMillis(maxLagNanos);
    }

    /**
     * Stops producing, flushes and closes the producer.
     *
     * @throws IllegalStateException if a record could not be produced
     */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the producer " + thread.getName(), e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the producer " + thread.getName() + " did not stop within 60 s");
        }
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the producer " + thread.getName() + " failed: " + e, e);
        }
        LOG.info("{} produced {} readings to {} at {}/s; at most {} ms behind schedule", thread.getName(), sent,
                topic, ratePerSecond, maxLagMs());
    }
}
