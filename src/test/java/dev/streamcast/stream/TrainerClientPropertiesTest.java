package dev.streamcast.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TrainerClientPropertiesTest {

    @Test
    void theTrainingClientIsAGroupOfItsOwnWithOneThreadThatPollsAsOftenAsItChecksThePace() {
        StreamcastConfig config = StreamcastConfig.of(Map.of("kafka.bootstrap.servers", "localhost:9",
                "kafka.application.id", "app", "kafka.num.stream.threads", "2"));
        StreamcastService service = new StreamcastService(config);
        Properties trainer = service.trainerStreamsProperties();
        assertEquals("app" + StreamcastTopology.TRAINER_APPLICATION_SUFFIX,
                trainer.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("1", trainer.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(Long.toString(TrainerProcessor.PACE_CHECK_MS), trainer.getProperty(StreamsConfig.POLL_MS_CONFIG));
        // The forecasting client keeps its own settings.
        Properties forecasting = service.streamsProperties();
        assertEquals("app", forecasting.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("2", forecasting.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    }
}
