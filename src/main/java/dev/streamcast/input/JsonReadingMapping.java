package dev.streamcast.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import dev.streamcast.config.ConfigException;
import dev.streamcast.config.InputMapping;
import dev.streamcast.wire.RejectReason;
import dev.streamcast.wire.TimestampUnit;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code input.format=json}: a JSON message with the sensor id ({@code input.json.sensor}, or the record key), one or
 * more numeric fields ({@code input.json.values}) and optionally a timestamp ({@code input.json.timestamp}) at
 * JSON Pointers. With one value pointer the sensor id is the id found; with several, each field is a sensor of its
 * own, {@code <id>.<field>}. A message that is an array is a batch: each element is mapped the same way.
 *
 * <p>The message is read as a stream of tokens, never as a tree: the pointers are compiled into a tree of path
 * segments, and any part of the message off every pointer's path is skipped unread.
 */
public final class JsonReadingMapping implements ReadingMapping {

    private static final int NONE = -1;
    private static final int SENSOR = -2;
    private static final int TIMESTAMP = -3;

    private static final byte MISSING = 0;
    private static final byte FOUND = 1;
    private static final byte REFUSED = 2;

    /** A segment of one or more pointers' paths; its role when a pointer ends here. */
    private static final class Segment {
        final String name;
        // The segment as an array index, or -1 when it is not one.
        final int index;
        Segment[] children = new Segment[0];
        int role = NONE;
        String pointer;

        Segment(String name, int index) {
            this.name = name;
            this.index = index;
        }

        Segment child(String fieldName) {
            for (Segment c : children) {
                if (c.name.equals(fieldName)) {
                    return c;
                }
            }
            return null;
        }

        Segment child(int arrayIndex) {
            for (Segment c : children) {
                if (c.index == arrayIndex) {
                    return c;
                }
            }
            return null;
        }
    }

    private final Segment root = new Segment("", -1);
    private final boolean sensorFromKey;
    private final boolean ownTimestamp;
    private final TimestampUnit unit;
    private final String[] fields;
    private final String[] pointers;
    private final boolean oneValue;

    // What the current message (or batch element) gave: reused, element after element.
    private String sensor;
    private byte sensorState;
    private final double[] values;
    private final byte[] valueStates;
    private long timestamp;
    private byte timestampState;
    private int element;
    private boolean batch;
    private MappedReadings out;

    public JsonReadingMapping(InputMapping input) {
        this.sensorFromKey = input.jsonSensor() == null;
        this.ownTimestamp = input.jsonTimestamp() != null;
        this.unit = input.timestampUnit();
        List<JsonPointer> valuePointers = input.jsonValues();
        this.fields = input.jsonFields().toArray(new String[0]);
        this.pointers = new String[valuePointers.size()];
        this.oneValue = valuePointers.size() == 1;
        this.values = new double[valuePointers.size()];
        this.valueStates = new byte[valuePointers.size()];
        for (int i = 0; i < valuePointers.size(); i++) {
            pointers[i] = valuePointers.get(i).toString();
            add(valuePointers.get(i), i);
        }
        if (!sensorFromKey) {
            add(input.jsonSensor(), SENSOR);
        }
        if (ownTimestamp) {
            add(input.jsonTimestamp(), TIMESTAMP);
        }
    }

    private void add(JsonPointer pointer, int role) {
        Segment segment = root;
        for (JsonPointer p = pointer; !p.matches(); p = p.tail()) {
            Segment next = segment.child(p.getMatchingProperty());
            if (next == null) {
                next = new Segment(p.getMatchingProperty(), p.getMatchingIndex());
                segment.children = Arrays.copyOf(segment.children, segment.children.length + 1);
                segment.children[segment.children.length - 1] = next;
            }
            segment = next;
        }
        if (segment.role != NONE) {
            throw new ConfigException(InputMapping.JSON_VALUES_KEY + ": " + pointer + " is used twice");
        }
        segment.role = role;
        segment.pointer = pointer.toString();
    }

    @Override
    public void map(byte[] key, byte[] value, long recordTimestamp, MappedReadings out) {
        this.out = out;
        out.clear();
        String keyId = null;
        if (sensorFromKey) {
            keyId = out.keyId(key);
            if (keyId == null) {
                return;
            }
        }
        if (value == null || value.length == 0) {
            out.problem(RejectReason.MALFORMED_JSON, "the value is empty");
            return;
        }
        try (JsonParser parser = ReadingParser.JSON.createParser(value)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                out.problem(RejectReason.MALFORMED_JSON, "the value is blank");
                return;
            }
            batch = token == JsonToken.START_ARRAY && root.child(0) == null;
            element = 0;
            if (batch) {
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                    mapElement(parser, token, keyId, recordTimestamp);
                    element++;
                }
            } else {
                mapElement(parser, token, keyId, recordTimestamp);
            }
            if (parser.nextToken() != null) {
                malformed("unexpected content after the value");
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            malformed(message);
        }
    }

    /** Broken JSON: the record is refused whole, whatever was mapped before the break. */
    private void malformed(String message) {
        out.clear();
        out.problem(RejectReason.MALFORMED_JSON, message);
    }

    /** One message, or one element of a batch, from its first token. */
    private void mapElement(JsonParser parser, JsonToken token, String keyId, long recordTimestamp) throws IOException {
        sensorState = MISSING;
        sensor = null;
        timestampState = MISSING;
        Arrays.fill(valueStates, MISSING);
        visit(parser, token, root);
        String id = keyId;
        if (!sensorFromKey) {
            if (sensorState != FOUND) {
                if (sensorState == MISSING) {
                    missing(pointerOf(SENSOR), "the sensor id");
                }
                return;
            }
            id = sensor;
        }
        long t = recordTimestamp;
        if (ownTimestamp) {
            if (timestampState != FOUND) {
                if (timestampState == MISSING) {
                    missing(pointerOf(TIMESTAMP), "the timestamp");
                }
                return;
            }
            t = timestamp;
        }
        for (int i = 0; i < values.length; i++) {
            if (valueStates[i] == FOUND) {
                out.offer(oneValue ? id : id + "." + fields[i], values[i], t, ownTimestamp);
            } else if (valueStates[i] == MISSING) {
                out.problem(RejectReason.MISSING_FIELD, where() + pointers[i] + " is missing");
            }
        }
    }

    private void missing(String pointer, String what) {
        out.problem(RejectReason.MISSING_FIELD, where() + pointer + " (" + what + ") is missing");
    }

    private String pointerOf(int role) {
        return find(root, role).pointer;
    }

    private static Segment find(Segment segment, int role) {
        if (segment.role == role) {
            return segment;
        }
        for (Segment c : segment.children) {
            Segment found = find(c, role);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The batch element a problem is in, for its message. */
    private String where() {
        return batch ? "element " + element + ": " : "";
    }

    /** The value starting at {@code token}, at the path of {@code segment}: captured if a pointer ends here. */
    private void visit(JsonParser parser, JsonToken token, Segment segment) throws IOException {
        if (segment.role != NONE) {
            capture(parser, token, segment);
        }
        if (token == JsonToken.START_OBJECT) {
            if (segment.children.length == 0) {
                parser.skipChildren();
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Segment child = segment.child(parser.currentName());
                JsonToken next = parser.nextToken();
                if (child == null) {
                    parser.skipChildren();
                } else {
                    visit(parser, next, child);
                }
            }
        } else if (token == JsonToken.START_ARRAY) {
            if (segment.children.length == 0) {
                parser.skipChildren();
                return;
            }
            int index = 0;
            JsonToken next;
            while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
                Segment child = segment.child(index++);
                if (child == null) {
                    parser.skipChildren();
                } else {
                    visit(parser, next, child);
                }
            }
        }
    }

    private void capture(JsonParser parser, JsonToken token, Segment segment) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (segment.role == SENSOR) {
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                String text = parser.getText();
                if (text.isBlank()) {
                    sensorState = REFUSED;
                    out.problem(RejectReason.BAD_FIELD, where() + segment.pointer + " (the sensor id) is blank");
                } else {
                    sensor = text;
                    sensorState = FOUND;
                }
            } else {
                sensorState = REFUSED;
                out.problem(RejectReason.BAD_FIELD, where() + segment.pointer + " (the sensor id) is "
                        + describe(token) + ", not text");
            }
        } else if (segment.role == TIMESTAMP) {
            captureTimestamp(parser, token, segment);
        } else {
            int i = segment.role;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                values[i] = parser.getDoubleValue();
                valueStates[i] = FOUND;
            } else {
                valueStates[i] = REFUSED;
                out.problem(RejectReason.BAD_FIELD, where() + segment.pointer + " is " + describe(token)
                        + ", not a number");
            }
        }
    }

    private void captureTimestamp(JsonParser parser, JsonToken token, Segment segment) throws IOException {
        long t;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            t = parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? TimestampUnit.INVALID
                    : unit.toMillis(parser.getLongValue());
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            t = unit.toMillis(parser.getDoubleValue());
        } else if (token == JsonToken.VALUE_STRING) {
            t = unit.fromText(parser.getText());
        } else {
            timestampState = REFUSED;
            out.problem(RejectReason.BAD_TIMESTAMP, where() + segment.pointer + " (the timestamp) is "
                    + describe(token) + "; expected " + unit.expected());
            return;
        }
        if (t == TimestampUnit.INVALID) {
            timestampState = REFUSED;
            String text = parser.getText();
            out.problem(RejectReason.BAD_TIMESTAMP, where() + segment.pointer + " (the timestamp) "
                    + (text.length() <= 64 ? text : text.substring(0, 64) + "...") + " is not " + unit.expected()
                    + " from 1970 on");
            return;
        }
        timestamp = t;
        timestampState = FOUND;
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            default:
                return token.name();
        }
    }
}
