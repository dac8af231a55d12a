package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.logging.ExpectedFaults;
import dev.streamcast.wire.SampleBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The internal samples topic's format (SampleBatch) as the topology writes and the trainer reads it. */
@ExpectedFaults("malformed batches of training samples: the trainer logs each one it skips")
@Tag("topology")
class SampleBatchTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyFixture fixtureWith(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(overrides);
        return new TopologyFixture(StreamcastConfig.of(m), stateDir);
    }

    @Test
    void aTaskSendsOneBatchPerCommitIntervalHoldingEverySampleInOrder() {
        try (TopologyFixture f = fixtureWith(Map.of())) {
            // Five readings of each of two sensors within one commit interval: no batch yet.
            for (int t = 0; t < 5; t++) {
                f.readings.pipeInput(TopologyFixture.bytes("a"), TopologyFixture.bytes(Integer.toString(t)),
                        TopologyFixture.T0.plusSeconds(t));
                f.readings.pipeInput(TopologyFixture.bytes("b"), TopologyFixture.bytes(Integer.toString(10 * t)),
                        TopologyFixture.T0.plusSeconds(t));
            }
            assertTrue(f.samples.isEmpty(), "sent once per commit interval, not per reading");
            f.commitInterval();
            assertEquals(1, f.samples.getQueueSize(), "one batch");
            List<TopologyFixture.Sample> samples = f.drainSamples();
            assertEquals(4, samples.size(), "readings 4 and 5 of each sensor follow a full window");
            assertArrayEquals(new double[] {0, 1, 2}, samples.get(0).window());
            assertEquals(3, samples.get(0).actual());
            // The sensor's statistics before reading 3 arrived: the level of 0, 1, 2 and its steps of 1.
            assertEquals(dev.streamcast.model.SensorStats.of(new double[] {0, 1, 2}).level(), samples.get(0).level(),
                    1e-12);
            assertEquals(1.0, samples.get(0).stepRms(), 1e-12);
            assertArrayEquals(new double[] {0, 10, 20}, samples.get(1).window());
            assertArrayEquals(new double[] {10, 20, 30}, samples.get(3).window());
            assertEquals(40, samples.get(3).actual());
            assertEquals(4, f.metrics.samplesEmitted());
        }
    }

    @Test
    void aFullBatchIsSentAtOnce() {
        try (TopologyFixture f = fixtureWith(Map.of())) {
            int perBatch = (SampleBatch.MAX_BYTES - SampleBatch.HEADER_BYTES) / SampleBatch.sampleBytes(3);
            for (int t = 0; t < perBatch + 3; t++) {
                // A ramp: no reading is an anomaly, so every one makes a sample.
                f.readings.pipeInput(TopologyFixture.bytes("a"), TopologyFixture.bytes(Integer.toString(t)),
                        TopologyFixture.T0.plusMillis(t));
            }
            assertEquals(1, f.samples.getQueueSize(), "the batch went out as soon as it was full");
            assertEquals(perBatch, f.drainSamples().size());
        }
    }

    @Test
    void inPerSensorScopeEachSensorsSamplesAreKeyedByTheSensor() {
        try (TopologyFixture f = fixtureWith(Map.of("model.scope", "per-sensor"))) {
            for (int t = 0; t < 4; t++) {
                f.reading("a", t, t);
                f.reading("b", t, t);
            }
            List<TopologyFixture.Sample> samples = f.drainSamples();
            assertEquals(List.of("a", "b"), samples.stream().map(TopologyFixture.Sample::key).toList());
        }
    }

    @Test
    void malformedOrTruncatedBatchesAreSkippedAndTheTrainerGoesOn() {
        Map<String, String> config = Map.of("retrain.every.samples", "30", "retrain.min.samples", "30",
                "retrain.epochs", "2", "retrain.every", "1h");
        try (TopologyFixture f = fixtureWith(config)) {
            TestInputTopic<String, byte[]> samples = f.driver.createInputTopic(f.settings.topics().samples(),
                    new StringSerializer(), new ByteArraySerializer());
            byte[] good = batch(3, 10, 0);
            samples.pipeInput("default", Arrays.copyOf(good, good.length - 5));           // truncated
            samples.pipeInput("default", new byte[] {1, 2, 3});                            // too short
            samples.pipeInput("default", "{\"window\":[1,2,3],\"actual\":4}".getBytes()); // the old JSON samples
            byte[] formatOne = batch(3, 2, 0);
            formatOne[2] = 1;
            samples.pipeInput("default", formatOne);                                      // an older format
            samples.pipeInput("default", batch(4, 10, 0));                                 // another window length
            samples.pipeInput("default", (byte[]) null);
            byte[] nan = batch(3, 1, 0);
            ByteBuffer.wrap(nan).putDouble(SampleBatch.HEADER_BYTES, Double.NaN);
            samples.pipeInput("default", nan);                                             // a non-finite value
            assertEquals(7, f.metrics.sampleBatchesSkipped());
            assertTrue(f.modelsOut.isEmpty());
            // Good batches still count: 30 samples start a retraining, and its model is published.
            samples.pipeInput("default", batch(3, 15, 0));
            samples.pipeInput("default", batch(3, 15, 15));
            assertEquals(1, f.registry.runs().size(), "the trainer went on after the bad batches");
        }
    }

    @Test
    void theReplayBufferKeepsTheMostRecentSamplesAcrossChunksAndRestarts() {
        Map<String, String> config = Map.of("retrain.buffer.size", "300", "retrain.every.samples", "1000000",
                "retrain.min.samples", "10", "retrain.every", "1h");
        try (TopologyFixture f = fixtureWith(config)) {
            TestInputTopic<String, byte[]> samples = f.driver.createInputTopic(f.settings.topics().samples(),
                    new StringSerializer(), new ByteArraySerializer());
            for (int b = 0; b < 10; b++) {
                samples.pipeInput("default", batch(3, 77, 77 * b)); // 770 samples: the ring wraps
            }
            ReplayBuffer buffer = new ReplayBuffer(f.driver.getKeyValueStore(StreamNames.BUFFER_STORE), 300, 3);
            ReplayBuffer.Meta meta = buffer.meta("default");
            assertEquals(770, meta.total);
            assertEquals(300, buffer.held(meta));
            dev.streamcast.model.TrainingSet set = buffer.snapshot("default", meta);
            assertEquals(300, set.size());
            for (int i = 0; i < 300; i++) {
                assertEquals(470 + i + 3, set.target(i), "sample " + i + " is the " + (470 + i) + "th, oldest first");
            }
        }
    }

    /**
     * A batch of {@code n} samples of window length {@code w}: sample i is [s, s+1, ..] at level s + 1 with step 1,
     * then s + w (s = first + i).
     */
    static byte[] batch(int w, int n, int first) {
        ByteBuffer b = ByteBuffer.allocate(SampleBatch.HEADER_BYTES + n * 8 * (w + 3));
        b.put((byte) 'S').put((byte) 'B').put((byte) 2).putLong(42).putInt(w).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < w; k++) {
                b.putDouble(first + i + k);
            }
            b.putDouble(first + i + 1).putDouble(1).putDouble(first + i + w);
        }
        return b.array();
    }
}
