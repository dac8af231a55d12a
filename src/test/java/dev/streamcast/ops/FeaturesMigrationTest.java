package dev.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamcast.model.Features;
import dev.streamcast.model.FeatureWidening;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.testing.BrokerSettings;
import dev.streamcast.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment upgraded to wider model.features on a real broker: its models topic holds a value-only champion (from
 * the deployment before), which serves every reading until a challenger of the new features, trained from it widened,
 * passes the gate; a model of other features published by hand is refused (409), and so is one given as
 * model.initial.
 */
@Tag("broker")
class FeaturesMigrationTest {

    private static final String WIDE = "value,day.sin,day.cos";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "features-test-token-5d1e";

    @TempDir
    Path directory;

    @Test
    void aValueOnlyChampionKeepsServingUntilAWiderChallengerPassesTheGate() throws Exception {
        try (OpsFixture fixture = new OpsFixture(directory)) {
            // The deployment before: value alone, its first model from model.initial.
            Path initial = fixture.initialModel();
            try (StreamcastService before = OpsFixture.startedService(fixture.config(Map.of("model.initial",
                    initial.toString())))) {
                Waits.await("model version 1", Duration.ofSeconds(60))
                        .until(() -> before.registry().get("default") != null);
            }
            Map<String, String> upgraded = new HashMap<>();
            upgraded.put("model.features", WIDE);
            upgraded.put("retrain.every.samples", "60");
            upgraded.put("retrain.min.samples", "60");
            upgraded.put("retrain.every", "1h");
            upgraded.put("retrain.epochs", "20");
            upgraded.put("retrain.batch-size", "4");
            upgraded.put("retrain.learning-rate", "0.01");
            upgraded.put("http.admin.token", TOKEN);
            try (OpsFixture.Served after = fixture.serve(upgraded)) {
                StreamcastService service = after.service();
                Waits.await("the value-only champion read back", Duration.ofSeconds(60))
                        .until(() -> service.registry().get("default") != null);
                assertTrue(service.registry().get("default").prototype().features().isValueOnly());

                // A model of other features is refused by hand as by model.initial.
                ModelDocument valueOnly = ModelCodec.parse(Files.readAllBytes(initial));
                HttpProbe.Answer refused = after.http().post("/api/models/default", ModelCodec.write(valueOnly),
                        "Authorization", "Bearer " + TOKEN);
                assertEquals(409, refused.status(), refused.body());
                assertTrue(refused.json().get("error").asText().contains("features value differ from the "
                        + "deployment's model.features " + WIDE), refused.body());
                ModelDocument otherWide = FeatureWidening.widen(valueOnly, Features.parse("value,week.sin"));
                assertEquals(409, after.http().post("/api/models/default", ModelCodec.write(otherWide),
                        "Authorization", "Bearer " + TOKEN).status());

                // Readings an hour apart with a daily cycle, until a model of the wider features is in use.
                List<String> sensors = List.of("a", "b", "c");
                int hours = 0;
                while (hours < 24 * 20 && !wide(service.registry().get("default"))) {
                    for (int k = 0; k < sensors.size(); k++) {
                        double value = 10 * k + 10 + 5 * Math.sin(2 * Math.PI * hours / 24.0);
                        fixture.produceRaw(sensors.get(k), "{\"value\": " + value + ", \"timestamp\": "
                                + (OpsFixture.T0 + hours * 3_600_000L) + "}");
                    }
                    hours++;
                    if (hours % 24 == 0) {
                        fixture.flush();
                        int sent = hours;
                        Waits.await("the forecasts up to hour " + sent, Duration.ofSeconds(60))
                                .until(() -> service.metrics().forecasts() >= 3L * (sent - 2));
                    }
                }
                fixture.flush();
                Waits.await("a model of the wider features", Duration.ofSeconds(120))
                        .until(() -> wide(service.registry().get("default")));
                int sent = hours;
                Waits.await("every forecast", Duration.ofSeconds(60))
                        .until(() -> service.metrics().forecasts() >= 3L * (sent - 2));
                ModelRegistry.Entry entry = service.registry().get("default");
                assertTrue(entry.version() >= 2, "version " + entry.version());
                assertEquals(Features.parse(WIDE), entry.prototype().features());

                // Every reading from the third on of each sensor was forecast, and never for want of a model.
                Set<String> seen = new HashSet<>();
                int forecasts = 0;
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        BrokerSettings.verifier(fixture.bootstrapServers()), new StringDeserializer(),
                        new StringDeserializer())) {
                    consumer.subscribe(List.of("sensor-forecasts"));
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (forecasts < 3 * (hours - 2) && System.currentTimeMillis() < deadline) {
                        for (var record : consumer.poll(Duration.ofMillis(500))) {
                            JsonNode forecast = JSON.readTree(record.value());
                            forecasts++;
                            seen.add(forecast.path("modelVersion").asText());
                            assertFalse("no-model".equals(forecast.path("naiveReason").asText()), record.value());
                            assertTrue(forecast.path("modelVersion").asLong() >= 1, record.value());
                        }
                    }
                }
                assertEquals(3 * (hours - 2), forecasts);
                assertTrue(seen.contains("1"), seen.toString());
            }
        }
    }

    private static boolean wide(ModelRegistry.Entry entry) {
        return entry != null && !entry.prototype().features().isValueOnly();
    }
}
