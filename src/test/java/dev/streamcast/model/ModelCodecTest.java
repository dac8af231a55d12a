package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamcast.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ModelCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] architecture() throws IOException {
        return Files.readAllBytes(Path.of("config/model.json"));
    }

    private static ObjectNode trainedDocument() throws IOException {
        Forecaster f = ModelCodec.decode(architecture(), 9);
        return (ObjectNode) JSON.readTree(ModelCodec.write(ModelCodec.toDocument(f)));
    }

    private static String refusal(ObjectNode doc) {
        return assertThrows(ModelFormatException.class,
                () -> ModelCodec.decode(JSON.writeValueAsBytes(doc), 0)).getMessage();
    }

    @Test
    void aWrittenModelReadsBackWithTheSameWeightsAndForecasts() throws IOException {
        Forecaster original = ModelCodec.decode(architecture(), 9);
        byte[] json = ModelCodec.write(ModelCodec.toDocument(original));
        Forecaster copy = ModelCodec.decode(json, 12345);
        for (int k = 0; k < original.network().parameters().size(); k++) {
            Parameter a = original.network().parameters().get(k);
            Parameter b = copy.network().parameters().get(k);
            assertEquals(a.name(), b.name());
            assertArrayEquals(a.value().data, b.value().data);
        }
        assertEquals(original.forecast(new double[] {1, 2, 3}), copy.forecast(new double[] {1, 2, 3}));
        assertEquals("sensor", copy.scaling().kind());
        assertEquals(3, copy.windowLength());
        // the compact form (models topic) is one line and reads back the same
        byte[] compact = ModelCodec.encode(original);
        assertTrue(new String(compact).indexOf('\n') < 0);
        assertEquals(original.forecast(new double[] {4, 2, 9}),
                ModelCodec.decode(compact, 0).forecast(new double[] {4, 2, 9}));
    }

    @Test
    void inputShapeAndInputDimWithInputLengthGiveTheIdenticalModel() throws IOException {
        ObjectNode a = (ObjectNode) JSON.readTree(architecture());
        ObjectNode b = a.deepCopy();
        ObjectNode lstm = (ObjectNode) b.withArray("layers").get(0);
        lstm.remove("inputShape");
        lstm.put("inputDim", 1);
        lstm.put("inputLength", 3);
        Forecaster fa = ModelCodec.decode(JSON.writeValueAsBytes(a), 4);
        Forecaster fb = ModelCodec.decode(JSON.writeValueAsBytes(b), 4);
        assertEquals(ModelSummary.of(fa), ModelSummary.of(fb));
        assertEquals(fa.forecast(new double[] {1, 2, 3}), fb.forecast(new double[] {1, 2, 3}));
    }

    @Test
    void summaryShowsKerasParameterCounts() throws IOException {
        String summary = ModelSummary.of(ModelCodec.decode(architecture(), 0));
        assertTrue(summary.contains("lstm (LSTM)") && summary.contains("(None, 10)") && summary.contains("480"),
                summary);
        assertTrue(summary.contains("55") && summary.contains("18") && summary.contains("Total params: 557"), summary);
    }

    @Test
    void wrongWeightShapesAreRefusedNamingTheFieldAndTheExpectedShape() throws IOException {
        ObjectNode doc = trainedDocument();
        ArrayNode rk = (ArrayNode) doc.at("/layers/0/weights/recurrentKernel");
        ((ArrayNode) rk.get(0)).remove(0);
        String message = refusal(doc);
        assertTrue(message.contains("layers[0].weights.recurrentKernel") && message.contains("[10, 40]"), message);

        ObjectNode doc2 = trainedDocument();
        ((ArrayNode) doc2.at("/layers/2/weights/bias")).add(0.5);
        String message2 = refusal(doc2);
        assertTrue(message2.contains("layers[2].weights.bias") && message2.contains("[3]"), message2);
    }

    @Test
    void unknownActivationsMissingFieldsAndBadJsonAreRefused() throws IOException {
        ObjectNode doc = (ObjectNode) JSON.readTree(architecture());
        ((ObjectNode) doc.withArray("layers").get(1)).put("activation", "swishy");
        String m1 = refusal(doc);
        assertTrue(m1.contains("layers[1].activation") && m1.contains("swishy") && m1.contains("relu"), m1);

        ObjectNode doc2 = (ObjectNode) JSON.readTree(architecture());
        ((ObjectNode) doc2.withArray("layers").get(2)).remove("units");
        assertTrue(refusal(doc2).contains("layers[2].units: missing"));

        ObjectNode doc3 = (ObjectNode) JSON.readTree(architecture());
        ((ObjectNode) doc3.withArray("layers").get(0)).remove("inputShape");
        assertTrue(refusal(doc3).contains("layers[0].inputShape: missing"));

        ObjectNode doc4 = trainedDocument();
        doc4.remove("scaling");
        assertTrue(refusal(doc4).contains("scaling: missing"));

        ObjectNode doc5 = (ObjectNode) JSON.readTree(architecture());
        ((ObjectNode) doc5.withArray("layers").get(0)).put("unitz", 3);
        assertTrue(refusal(doc5).contains("unknown field 'unitz'"));

        ObjectNode doc6 = trainedDocument();
        ((ArrayNode) doc6.withArray("layers")).remove(3);
        assertTrue(refusal(doc6).contains("must output 1 value"));

        String bad = assertThrows(ModelFormatException.class, () -> ModelCodec.parse("{\"format\": ")).getMessage();
        assertTrue(bad.startsWith("malformed JSON at line 1"), bad);
    }
}
