package dev.streamcast.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The model document as JSON (Jackson): reading it strictly (an unknown field, or a null where a number belongs,
 * is refused) and writing it indented for files or on one line for the models topic. Jackson's errors become a
 * {@link ModelFormatException} that names the field, or the line and column of malformed JSON, in one sentence.
 * Whether the document makes sense as a model is {@link ModelCodec}'s to check.
 */
final class ModelJson {

    // The fast double writer (Schubfach) writes the shortest decimal that reads back to the same double, as
    // Double.toString means to, several times faster: an imported model's weights are 100,000s of numbers.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final ObjectMapper COMPACT = MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private ModelJson() {
    }

    /** Parses a document; malformed JSON or an unknown field is refused with its location. */
    static ModelDocument parse(byte[] json) {
        try {
            ModelDocument doc = MAPPER.readValue(json, ModelDocument.class);
            if (doc == null) {
                throw new ModelFormatException("the model document is empty");
            }
            return doc;
        } catch (StreamReadException e) {
            throw malformed(e);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelFormatException(path(e) + ": unknown field '" + e.getPropertyName() + "'", e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException cause) {
                throw malformed(cause);
            }
            throw new ModelFormatException(path(e) + ": " + firstSentence(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a scaling on its own (a {@code --scaling} file), as strictly as a document's. */
    static ModelDocument.ScalingSpec parseScaling(byte[] json) {
        try {
            ModelDocument.ScalingSpec spec = MAPPER.readValue(json, ModelDocument.ScalingSpec.class);
            if (spec == null) {
                throw new ModelFormatException("the scaling is empty");
            }
            return spec;
        } catch (StreamReadException e) {
            throw malformed(e);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelFormatException(path(e) + ": unknown field '" + e.getPropertyName() + "'", e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException cause) {
                throw malformed(cause);
            }
            throw new ModelFormatException(path(e) + ": " + firstSentence(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelFormatException malformed(StreamReadException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return new ModelFormatException("malformed JSON" + where + ": " + firstSentence(e.getOriginalMessage()), e);
    }

    /** Jackson's messages go on after the first line with source excerpts; the user needs the first. */
    private static String firstSentence(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        int cut = line.indexOf(" (start marker at");
        return cut > 0 ? line.substring(0, cut) : line;
    }

    /** The document as indented JSON (for files). */
    static byte[] write(ModelDocument doc) {
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a model document", e);
        }
    }

    /** A scaling on its own, indented, as {@link #parseScaling} reads it back. */
    static byte[] writeScaling(ModelDocument.ScalingSpec spec) {
        try {
            return MAPPER.writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a scaling", e);
        }
    }

    /** The document as one line of JSON (for the models topic). */
    static byte[] writeCompact(ModelDocument doc) {
        try {
            return COMPACT.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a model document", e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "document" : sb.toString();
    }
}
