package dev.streamcast.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the forecasts topic on a thread of its own, like a downstream application would, and records for each
 * forecast the time from its reading's production (the record timestamp: the forecast carries its reading's) to its
 * reception here. read_committed, so under exactly_once_v2 a forecast counts only once its transaction committed.
 */
final class LatencyProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyProbe.class);
    /** What a forecast made without a model holds (ForecastMessage writes it compactly, once per message). */
    private static final byte[] NAIVE_MARKER = "\"model\":\"naive\"".getBytes(StandardCharsets.UTF_8);

    private final Properties props;
    private final String topic;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LatencySamples samples = new LatencySamples();
    private volatile boolean stopped;
    private volatile long received;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private LatencyProbe(Properties clientProps, String topic, String name) {
        this.props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.topic = topic;
        this.thread = new Thread(this::consume, name);
        thread.setDaemon(true);
    }

    /**
     * Starts reading {@code topic} (which must exist) from its current end, and returns once the consumer is
     * positioned there, so no forecast produced afterwards is missed.
     */
    static LatencyProbe start(Properties clientProps, String topic, String name) {
        LatencyProbe probe = new LatencyProbe(clientProps, topic, name);
        probe.thread.start();
        try {
            if (!probe.ready.await(60, TimeUnit.SECONDS)) {
                probe.close();
                throw new IllegalStateException("the latency probe on " + topic + " was not ready within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.close();
            throw new IllegalStateException("interrupted while starting the latency probe", e);
        }
        probe.rethrowFailure();
        return probe;
    }

    private void consume() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            // assign, not subscribe: no group rebalance to wait for, and every partition from its end.
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("the topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(p -> c.position(p, Duration.ofSeconds(30)));
            ready.countDown();
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    samples.add(r.timestamp(), now - r.timestamp(), contains(r.value(), NAIVE_MARKER));
                }
                if (!records.isEmpty()) {
                    received += records.count();
                    lastReceivedNanos = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            if (!stopped) {
                failure.compareAndSet(null, e);
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            ready.countDown();
        }
    }

    /** Whether {@code value} holds the bytes of {@code marker}. */
    private static boolean contains(byte[] value, byte[] marker) {
        if (value == null) {
            return false;
        }
        outer:
        for (int start = 0; start <= value.length - marker.length; start++) {
            for (int k = 0; k < marker.length; k++) {
                if (value[start + k] != marker[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    long received() {
        return received;
    }

    /**
     * Waits until no forecast has arrived for {@code quiet} (the stream has answered every reading) or
     * {@code timeout} has passed.
     */
    void awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - lastReceivedNanos < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                LOG.warn("forecasts still arriving on {} after {}; measuring without the rest", topic, timeout);
                return;
            }
            rethrowFailure();
            Thread.sleep(50);
        }
    }

    /** The samples; only once closed. */
    LatencySamples samples() {
        if (thread.isAlive()) {
            throw new IllegalStateException("the latency probe is still running");
        }
        return samples;
    }

    private void rethrowFailure() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the latency probe on " + topic + " failed: " + e, e);
        }
    }

    /**
     * Stops reading and closes the consumer.
     *
     * @throws IllegalStateException if the consumer failed
     */
    @Override
    public void close() {
        stopped = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            // The one consumer method safe from another thread: ends a poll at once.
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the latency probe", e);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the latency probe " + thread.getName() + " did not stop within 60 s");
        }
        rethrowFailure();
    }
}
