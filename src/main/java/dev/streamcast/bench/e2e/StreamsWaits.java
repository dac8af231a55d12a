package dev.streamcast.bench.e2e;

import dev.streamcast.stream.ModelRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The waits of the end-to-end run on a Kafka Streams application it started: for a thread to get its partitions,
 * for RUNNING, for the initial model, or just for time to pass. Every one fails at once, naming the part of the run,
 * if the application stops meanwhile, so a failed topology ends the run instead of timing it out.
 */
final class StreamsWaits {

    /** The longest an application may take to start, or the initial model to reach it. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private StreamsWaits() {
    }

    /**
     * Waits until a stream thread has its partitions (and may process) and returns the {@link System#nanoTime()} it
     * was seen at. Not the application's RUNNING: with several threads that comes only once every thread has its
     * partitions, and the first ones may have drained the readings by then.
     */
    static long awaitFirstThreadAssigned(KafkaStreams streams, String name) throws InterruptedException {
        return await(streams, name, "no stream thread had its partitions",
                () -> streams.state() == KafkaStreams.State.RUNNING || streams.metadataForLocalThreads().stream()
                        .map(ThreadMetadata::threadState)
                        .anyMatch(s -> s.equals("PARTITIONS_ASSIGNED") || s.equals("RUNNING")));
    }

    /** Waits for RUNNING and returns the {@link System#nanoTime()} it was seen at. */
    static long awaitRunning(KafkaStreams streams, String name) throws InterruptedException {
        return await(streams, name, "Kafka Streams not RUNNING", () -> streams.state() == KafkaStreams.State.RUNNING);
    }

    /**
     * Polls {@code ready} every millisecond until it holds and returns the {@link System#nanoTime()} it was seen at.
     *
     * @throws IllegalStateException if the application stopped, or {@code ready} did not hold within START_TIMEOUT
     *                               ({@code notReady} says what did not happen)
     */
    private static long await(KafkaStreams streams, String name, String notReady, BooleanSupplier ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            checkAlive(streams, name);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + notReady + " within " + START_TIMEOUT + " ("
                        + streams.state() + ")");
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    static void checkAlive(KafkaStreams streams, String name) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
            throw new IllegalStateException(name + ": Kafka Streams stopped (" + state + "); see the log above");
        }
    }

    /** The initial model reaches the registry through the global store; forecasts must not start naive. */
    static void awaitModel(ModelRegistry registry, String modelId) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (registry.get(modelId) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the initial model '" + modelId + "' did not reach the service within "
                        + START_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    /** Sleeps for {@code duration}, failing early if the service stops. */
    static void sleep(Duration duration, KafkaStreams streams, String name) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            checkAlive(streams, name);
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
        }
    }
}
