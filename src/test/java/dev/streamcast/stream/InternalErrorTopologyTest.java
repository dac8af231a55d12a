package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.logging.ExpectedFaults;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.Scaling;
import dev.streamcast.nn.Sequential;
import dev.streamcast.wire.DeadLetterHeaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record a processor fails on with an exception it did not foresee: here a sensor whose stored state is corrupt
 * (as a damaged changelog would restore it), which the reading processor cannot decode. The record goes to the
 * dead-letter topic with reason internal-error and the exception's class and message, the sensor's stored state is
 * left as it was, the other sensors go on, and the failure is counted.
 */
@ExpectedFaults("a corrupt stored state, a failing layer: the handler logs each record it sends to the dead letters")
@Tag("topology")
class InternalErrorTopologyTest {

    @TempDir
    Path stateDir;

    @Test
    void aReadingAProcessorFailsOnGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        try (TopologyFixture f = TopologyFixture.withServiceHandlers(StreamcastConfig.of(Map.of()), stateDir)) {
            for (int i = 0; i < 3; i++) {
                f.reading("healthy", 20.0 + i, i);
            }
            assertEquals(1, f.drainForecasts().size(), "the healthy sensor's window is full");
            KeyValueStore<String, byte[]> store = f.driver.getKeyValueStore(StreamNames.SENSOR_STORE);
            // Format byte 99: no format SensorState knows, so decoding it throws.
            byte[] corrupt = {99, 1, 2, 3, 4, 5, 6, 7};
            store.put("corrupt", corrupt);

            f.reading("corrupt", "21.5", 3);
            f.reading("healthy", 23.0, 4);

            List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecordsToList();
            assertEquals(1, dead.size(), "one dead letter: " + dead);
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertArrayEquals(TopologyFixture.bytes("corrupt"), letter.key(), "the original key");
            assertArrayEquals(TopologyFixture.bytes("21.5"), letter.value(), "the original bytes");
            assertEquals("internal-error", TopologyFixture.header(letter, DeadLetterHeaders.REASON));
            assertEquals(IllegalStateException.class.getName(),
                    TopologyFixture.header(letter, InternalErrorHandler.HEADER_EXCEPTION));
            assertEquals("unknown sensor state format 99",
                    TopologyFixture.header(letter, DeadLetterHeaders.MESSAGE));
            assertEquals("sensor-readings", TopologyFixture.header(letter, DeadLetterHeaders.TOPIC));
            assertEquals("3", TopologyFixture.header(letter, DeadLetterHeaders.OFFSET));

            assertArrayEquals(corrupt, store.get("corrupt"), "the failed reading changed nothing in the stored state");
            List<JsonNode> forecasts = f.drainForecasts();
            assertEquals(1, forecasts.size(), "the stream went on: " + forecasts);
            assertEquals("healthy", forecasts.get(0).path("sensorId").asText());
            assertTrue(f.drainAccuracy().stream().noneMatch(a -> a.path("sensorId").asText().equals("corrupt")));
            assertEquals(1, f.metrics.internalErrors());
            assertEquals(1, f.metrics.internalErrorsLastMinute(System.currentTimeMillis()));
            assertEquals(0, f.metrics.refusedTotal(), "no reading was refused as bad input");
        }
    }

    @Test
    void aReadingThatFailsHalfWayForwardsNothingAndLeavesTheSensorsStateAsItWas() {
        try (TopologyFixture f = TopologyFixture.withServiceHandlers(StreamcastConfig.of(Map.of()), stateDir)) {
            for (int i = 0; i < 4; i++) {
                f.reading("s", 20.0 + i, i);
            }
            assertEquals(2, f.drainForecasts().size());
            assertEquals(1, f.drainAccuracy().size());
            KeyValueStore<String, byte[]> store = f.driver.getKeyValueStore(StreamNames.SENSOR_STORE);
            byte[] before = store.get("s");
            // A model whose forward pass throws: the next reading is scored (its accuracy record made, the sensor's
            // window and calibration updated in memory) before the processor fails in forecasting.
            int window = f.settings.windowLength();
            f.registry.offer(new ModelRegistry.Entry("default", 1, new Forecaster("default", 1, "2026-12-07T00:00:00Z",
                    window, new Scaling.None(), new Sequential(List.of(new FailingLayer(window))), null),
                    "2026-12-07T00:00:00Z"));

            f.reading("s", 24.0, 4);

            List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecordsToList();
            assertEquals(1, dead.size(), "one dead letter: " + dead);
            assertEquals("internal-error", TopologyFixture.header(dead.get(0), DeadLetterHeaders.REASON));
            assertEquals(FailingLayer.MESSAGE, TopologyFixture.header(dead.get(0), DeadLetterHeaders.MESSAGE));
            assertEquals(List.of(), f.drainAccuracy(), "the failed reading's accuracy record was not sent");
            assertEquals(List.of(), f.drainForecasts());
            assertArrayEquals(before, store.get("s"), "the sensor's stored state is the one before the reading");

            // A working model again: the sensor goes on from its state before the failed reading, whose value never
            // entered its window.
            f.models.pipeInput("default", ConstantModel.document(f.settings.architecture(), "default", 2, 30.0));
            f.reading("s", 25.0, 5);
            List<JsonNode> forecasts = f.drainForecasts();
            assertEquals(1, forecasts.size());
            assertEquals("[22.0,23.0,25.0]", forecasts.get(0).path("window").toString());
            List<JsonNode> accuracy = f.drainAccuracy();
            assertEquals(1, accuracy.size());
            assertEquals(23.0, accuracy.get(0).path("forecast").asDouble(), "scored against the forecast made before");
            assertEquals(1, f.metrics.internalErrors());
        }
    }
}
