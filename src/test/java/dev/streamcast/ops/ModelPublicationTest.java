package dev.streamcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamcast.cli.StreamcastCommand;
import dev.streamcast.keras.KerasImporter;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.SensorStats;
import dev.streamcast.service.ModelPublication;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.testing.Waits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing a model by hand to a running deployment, a real service on a real broker with its real HTTP server (port
 * 0): {@code POST /api/models/{id}} with the admin token, and {@code streamcast models publish} through the command
 * line main() runs. A Keras model imported with {@code streamcast import} becomes the next version (newest + 1), its
 * document says it skipped the gate, and the stream forecasts with it; an invalid model is 400, one that does not fit
 * the deployment (input, window, id) 409, a request without the token 401 (403 where no token is configured); the
 * command's mistakes are one line with exit code 2.
 */
@Tag("broker")
class ModelPublicationTest {

    private static final String TOKEN = "publish-test-token-81c2";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static final Path KERAS = Path.of("src/test/resources/keras");

    @TempDir
    static Path directory;

    static OpsFixture fixture;
    static StreamcastService service;
    static OpsServer server;
    static HttpProbe http;

    @BeforeAll
    static void startServiceAndServer() throws Exception {
        fixture = new OpsFixture(directory);
        service = OpsFixture.startedService(fixture.config(Map.of("http.admin.token", TOKEN,
                "model.initial", fixture.initialModel().toString())));
        server = OpsServer.start(service);
        http = new HttpProbe(server.port());
        Waits.await("model version 1", Duration.ofSeconds(60)).until(() -> service.registry().get("default") != null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (service != null) {
            service.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A Keras file as streamcast import makes it: the seed's shape, (3, 1), made by Keras 3.15. */
    private static ModelDocument imported(String file) {
        return KerasImporter.importFile(KERAS.resolve(file), "imported", null);
    }

    private static long servingVersion() {
        ModelRegistry.Entry entry = service.registry().get("default");
        return entry == null ? 0 : entry.version();
    }

    @Test
    void publishesAnImportedModelAsTheNextVersionWhichTheStreamServesAndSaysItSkippedTheGate() throws Exception {
        long before = servingVersion();
        ModelDocument doc = imported("made-by-keras/seed-shape-tanh.keras");
        HttpProbe.Answer answer = http.post("/api/models/default", ModelCodec.write(doc), AUTH);
        assertEquals(201, answer.status(), answer.body());
        JsonNode body = answer.json();
        assertEquals("default", body.get("modelId").asText());
        assertTrue(body.get("version").asLong() > before, body.toString());
        assertEquals(body.get("version").asLong() - 1, body.get("parentVersion").asLong(), body.toString());
        assertEquals(ModelPublication.DECISION, body.get("decision").asText());
        long version = body.get("version").asLong();

        Waits.await("version " + version + " in use", Duration.ofSeconds(60)).until(() -> servingVersion() >= version);
        ModelRegistry.Entry entry = service.registry().get("default");
        assertEquals(version, entry.version());
        assertEquals(ModelPublication.DECISION, entry.prototype().training().decision());
        assertEquals(version - 1, entry.prototype().training().parentVersion());
        // the weights it serves are the Keras model's
        double[] window = {0.3, -0.2, 0.5};
        assertEquals(ModelCodec.toForecaster(doc, 0).forecast(window, SensorStats.of(window)),
                entry.prototype().forecast(window, SensorStats.of(window)), 1e-12);
        JsonNode listed = http.get("/api/models", AUTH).json().get("models").get(0);
        assertEquals(version, listed.get("version").asLong());
        assertEquals(ModelPublication.DECISION, listed.get("decision").asText());

        // the stream forecasts with it
        fixture.produce("published-1", 0, 1.0, 2.0, 3.0, 4.0, 5.0);
        fixture.flush();
        Waits.await("a forecast of published-1 by version " + version, Duration.ofSeconds(60)).until(() -> {
            HttpProbe.Answer sensor = http.get("/api/sensors/published-1", AUTH);
            return sensor.status() == 200 && sensor.json().path("forecast").path("modelVersion").asLong() >= version;
        });
    }

    @Test
    void refusesAnInvalidModelWith400() throws Exception {
        List<String> errors = new ArrayList<>();
        for (byte[] body : List.of("{\"format\": ".getBytes(StandardCharsets.UTF_8),
                "[1, 2]".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(Path.of("config/model.json")),
                ModelCodec.write(withABiasTooLong(imported("made-by-keras/seed-shape-tanh.keras"))))) {
            HttpProbe.Answer answer = http.post("/api/models/default", body, AUTH);
            assertEquals(400, answer.status(), answer.body());
            errors.add(answer.json().get("error").asText());
        }
        assertTrue(errors.get(2).contains("no weights"), errors.toString());
        assertTrue(errors.get(3).contains("bias"), errors.toString());
    }

    /** The document with one value too many in its last layer's bias. */
    private static ModelDocument withABiasTooLong(ModelDocument doc) {
        List<ModelDocument.LayerSpec> layers = new ArrayList<>(doc.layers());
        ModelDocument.LayerSpec last = layers.get(layers.size() - 1);
        ModelDocument.Weights w = last.weights();
        layers.set(layers.size() - 1, new ModelDocument.LayerSpec(last.type(), last.units(), last.activation(),
                last.recurrentActivation(), last.inputShape(), last.inputDim(), last.inputLength(),
                last.returnSequences(), last.resetAfter(), last.rate(),
                new ModelDocument.Weights(w.kernel(), w.recurrentKernel(), new double[w.bias().length + 1])));
        return new ModelDocument(doc.format(), doc.modelId(), doc.version(), doc.createdAt(), doc.windowLength(),
                doc.scaling(), layers, doc.training(), doc.imported());
    }

    @Test
    void refusesAModelThatDoesNotFitTheDeploymentWith409() throws Exception {
        HttpProbe.Answer wide = http.post("/api/models/default",
                ModelCodec.write(imported("made-by-keras/stacked-lstm-gru.keras")), AUTH);
        assertEquals(409, wide.status(), wide.body());
        assertTrue(wide.json().get("error").asText().contains("the stream cannot feed this model"), wide.body());
        HttpProbe.Answer window = http.post("/api/models/default",
                ModelCodec.write(imported("more/lstm-long-window.keras")), AUTH);
        assertEquals(409, window.status(), window.body());
        assertTrue(window.json().get("error").asText().contains("window length 40"), window.body());
        HttpProbe.Answer otherId = http.post("/api/models/other",
                ModelCodec.write(imported("made-by-keras/seed-shape-tanh.keras")), AUTH);
        assertEquals(409, otherId.status(), otherId.body());
        assertTrue(otherId.json().get("error").asText().contains("serves model 'default'"), otherId.body());
    }

    @Test
    void refusesAPublicationWithoutTheTokenWith401AndWithoutAConfiguredTokenWith403() throws Exception {
        byte[] doc = ModelCodec.write(imported("made-by-keras/seed-shape-tanh.keras"));
        long before = servingVersion();
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong"})) {
            HttpProbe.Answer answer = http.post("/api/models/default", doc, headers);
            assertEquals(401, answer.status(), answer.body());
        }
        try (StreamcastService idle = new StreamcastService(fixture.config(Map.of()));
             OpsServer open = OpsServer.start(idle)) {
            HttpProbe.Answer answer = new HttpProbe(open.port()).post("/api/models/default", doc, AUTH);
            assertEquals(403, answer.status(), answer.body());
        }
        assertEquals(before, servingVersion());
    }

    @Test
    void theCommandPublishesTheNextVersionAndTellsMistakesInOneLine() throws Exception {
        String bootstrap = service.config().kafkaProperties().getProperty("bootstrap.servers");
        Path file = directory.resolve("imported.json");
        Files.write(file, ModelCodec.write(imported("made-by-keras/seed-shape-tanh.keras")));
        long before = servingVersion();
        Run run = run("models", "publish", file.toString(), "--set", "kafka.bootstrap.servers=" + bootstrap);
        assertEquals(0, run.code(), run.err());
        long version = before + 1;
        assertTrue(run.out().contains("as version " + version + " of model 'default'"), run.out());
        Waits.await("version " + version + " in use", Duration.ofSeconds(60)).until(() -> servingVersion() >= version);
        assertEquals(ModelPublication.DECISION, service.registry().get("default").prototype().training().decision());

        Path wide = directory.resolve("wide.json");
        Files.write(wide, ModelCodec.write(imported("made-by-keras/stacked-lstm-gru.keras")));
        assertOneLine(run("models", "publish", wide.toString(), "--set", "kafka.bootstrap.servers=" + bootstrap),
                "the stream cannot feed this model");
        assertOneLine(run("models", "publish", "config/model.json", "--set", "kafka.bootstrap.servers=" + bootstrap),
                "no weights");
        assertOneLine(run("models", "publish", directory.resolve("missing.json").toString()), "no such file");
        assertOneLine(run("models", "publish", file.toString(), "--set", "kafka.bootstrap.servers=127.0.0.1:1"),
                "cannot reach Kafka at 127.0.0.1:1");
        assertOneLine(run("models", "publish", file.toString(), "--set", "kafka.bootstrap.servers=" + bootstrap,
                "--set", "topics.models=no-such-models-topic"), "no models topic 'no-such-models-topic'");
        assertEquals(version, servingVersion());
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = StreamcastCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLine(Run run, String fragment) {
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(fragment), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
