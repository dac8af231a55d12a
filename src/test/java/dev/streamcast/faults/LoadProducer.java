package dev.streamcast.faults;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a {@link TrafficPlan} to the readings topic on a thread of its own, at a steady pace so that faults land in
 * the middle of the stream, and remembers where every record landed (partition, offset): the verifier's ledger.
 *
 * <p>Idempotence is on (Kafka's default, and set here explicitly), so the producer's own retries, e.g. while the
 * broker restarts, never write a record twice; its delivery timeout is long enough to ride out a broker restart. A
 * record that still cannot be written fails the scenario: the ledger must be exact.
 */
final class LoadProducer implements AutoCloseable {

    private final TrafficPlan plan;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicIntegerArray partitions;
    private final AtomicLongArray offsets;
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger handedOver = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private Thread thread;

    LoadProducer(String bootstrap, String topic, TrafficPlan plan) {
        this.plan = plan;
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-suite-load");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.partitions = new AtomicIntegerArray(plan.size());
        this.offsets = new AtomicLongArray(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            partitions.set(i, -1);
            offsets.set(i, -1);
        }
    }

    /** Starts sending items [from, to) at {@code perSecond} records a second (0: as fast as possible). */
    synchronized void sendAsync(int from, int to, int perSecond) {
        if (thread != null && thread.isAlive()) {
            throw new IllegalStateException("the producer is still sending");
        }
        thread = new Thread(() -> send(from, to, perSecond), "fault-suite-load-producer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends items [from, to) and waits until all are acknowledged. */
    void sendAndWait(int from, int to, int perSecond, Duration timeout) {
        sendAsync(from, to, perSecond);
        awaitAcked(to, timeout);
    }

    private void send(int from, int to, int perSecond) {
        long start = System.nanoTime();
        try {
            for (int i = from; i < to && failure.get() == null; i++) {
                if (perSecond > 0 && (i - from) % 20 == 0) {
                    long due = start + (long) ((i - from) * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                TrafficPlan.Item item = plan.items().get(i);
                int index = i;
                producer.send(new ProducerRecord<>(topic, item.key(), item.payload()), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, new IllegalStateException("record " + index
                                + " of the plan was not "
                                + "written: " + e, e));
                    } else {
                        partitions.set(index, metadata.partition());
                        offsets.set(index, metadata.offset());
                        acked.incrementAndGet();
                    }
                });
                handedOver.set(i + 1 - from);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Records of the current batch handed to the Kafka producer so far. */
    int handedOver() {
        return handedOver.get();
    }

    /** Records acknowledged by the broker, over all batches. */
    int acked() {
        return acked.get();
    }

    /** Waits until every item before {@code to} is acknowledged; fails on a send error or at the timeout. */
    void awaitAcked(int to, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            throwIfFailed();
            if (thread != null && !thread.isAlive() && allAcked(to)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the producer did not get " + to + " records acknowledged within "
                        + timeout.toSeconds() + " s: " + acked() + " acknowledged");
            }
            JvmProcess.sleep(50);
        }
    }

    /** Waits until the current batch has handed over at least {@code n} records (for a fault in mid-stream). */
    void awaitHandedOver(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handedOver() < n) {
            throwIfFailed();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the producer handed over only " + handedOver() + " of " + n
                        + " records within "
                        + timeout.toSeconds() + " s");
            }
            JvmProcess.sleep(20);
        }
    }

    private boolean allAcked(int to) {
        for (int i = 0; i < to; i++) {
            if (offsets.get(i) < 0) {
                return false;
            }
        }
        return true;
    }

    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new AssertionError("the load producer failed: " + e, e);
        }
    }

    /**
     * Enters item {@code i} in the ledger as written by someone else (a recorded deployment's readings written
     * again): the verifier then expects its outputs like those of the items this producer sent.
     */
    void delivered(int i, int partition, long offset) {
        partitions.set(i, partition);
        offsets.set(i, offset);
        acked.incrementAndGet();
    }

    /** Where item {@code i} landed: its partition, or -1 if it was not (yet) acknowledged. */
    int partition(int i) {
        return partitions.get(i);
    }

    long offset(int i) {
        return offsets.get(i);
    }

    TrafficPlan plan() {
        return plan;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
