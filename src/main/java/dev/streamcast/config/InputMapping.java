package dev.streamcast.config;

import com.fasterxml.jackson.core.JsonPointer;
import dev.streamcast.wire.TimestampUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a record of the readings topic holds ({@code input.*}, docs/connecting.md), read and checked once: the
 * {@code auto} format (today's bare number or {@code {"value", "timestamp"}}, keyed by sensor id) or a mapped one,
 * {@code json}, {@code influx} or {@code csv}, whose readings the topology re-keys by sensor id and repartitions.
 *
 * @param jsonSensor    json: the pointer to the sensor id; null: the record key
 * @param jsonValues    json: the pointers to the numeric fields
 * @param jsonFields    json: each value pointer's last segment, the {@code <field>} of its sensor {@code <id>.<field>}
 *                      when there are several
 * @param jsonTimestamp json: the pointer to the timestamp; null: the record timestamp
 * @param csvColumns    csv: the columns of a line in order, {@link #SENSOR}, {@link #TIMESTAMP}, {@link #VALUE} or
 *                      any other name (ignored)
 */
public record InputMapping(Format format, JsonPointer jsonSensor, List<JsonPointer> jsonValues, List<String> jsonFields,
                           JsonPointer jsonTimestamp, List<String> csvColumns, TimestampUnit timestampUnit) {

    /** The input formats, by their {@code input.format} value. */
    public enum Format {
        AUTO, JSON, INFLUX, CSV;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String SENSOR = "sensor";
    public static final String TIMESTAMP = "timestamp";
    public static final String VALUE = "value";

    public static final String FORMAT_KEY = "input.format";
    static final String JSON_SENSOR_KEY = "input.json.sensor";
    public static final String JSON_VALUES_KEY = "input.json.values";
    static final String JSON_TIMESTAMP_KEY = "input.json.timestamp";
    static final String CSV_COLUMNS_KEY = "input.csv.columns";
    static final String TIMESTAMP_UNIT_KEY = "input.timestamp.unit";

    /** The auto format with the defaults: what tests and tools that write today's format use. */
    public static InputMapping auto() {
        return from(StreamcastConfig.defaults());
    }

    /** The mapping of {@code config}; a value that cannot be used is a {@link ConfigException} naming its key. */
    public static InputMapping from(StreamcastConfig config) {
        String formatName = config.get(FORMAT_KEY);
        Format format = null;
        for (Format f : Format.values()) {
            if (f.code().equals(formatName.toLowerCase(Locale.ROOT))) {
                format = f;
            }
        }
        if (format == null) {
            throw new ConfigException(FORMAT_KEY + ": expected auto, json, influx or csv, got '" + formatName + "'");
        }
        refuseKeysOfOtherFormats(config, format);
        TimestampUnit unit = TimestampUnit.of(config.get(TIMESTAMP_UNIT_KEY));
        if (unit == null) {
            throw new ConfigException(TIMESTAMP_UNIT_KEY + ": expected auto, s, ms, us, ns or iso, got '"
                    + config.get(TIMESTAMP_UNIT_KEY) + "'");
        }
        if (format == Format.INFLUX && unit == TimestampUnit.ISO) {
            throw new ConfigException(TIMESTAMP_UNIT_KEY + ": line protocol timestamps are integers; expected auto, s, "
                    + "ms, us or ns with input.format=influx, got 'iso'");
        }
        JsonPointer sensor = optionalPointer(config, JSON_SENSOR_KEY);
        JsonPointer timestamp = optionalPointer(config, JSON_TIMESTAMP_KEY);
        if (sensor != null && sensor.equals(timestamp)) {
            throw new ConfigException(JSON_TIMESTAMP_KEY + ": " + timestamp + " is also the sensor id's pointer");
        }
        List<JsonPointer> values = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        if (format == Format.JSON) {
            readValuePointers(config, values, fields);
            for (JsonPointer value : values) {
                if (value.equals(sensor) || value.equals(timestamp)) {
                    throw new ConfigException(JSON_VALUES_KEY + ": " + value + " is also the sensor id's or the "
                            + "timestamp's pointer");
                }
            }
        }
        List<String> columns = format == Format.CSV ? csvColumns(config.get(CSV_COLUMNS_KEY)) : List.of();
        return new InputMapping(format, sensor, List.copyOf(values), List.copyOf(fields), timestamp, columns, unit);
    }

    /**
     * A key of one format set to other than its default while another format is chosen: most likely a forgotten
     * input.format, which would silently leave the mapping unused.
     */
    private static void refuseKeysOfOtherFormats(StreamcastConfig config, Format format) {
        Map<String, String> defaults = StreamcastConfig.defaults().asMap();
        for (String key : List.of(JSON_SENSOR_KEY, JSON_VALUES_KEY, JSON_TIMESTAMP_KEY, CSV_COLUMNS_KEY,
                TIMESTAMP_UNIT_KEY)) {
            boolean applies = key.startsWith("input.json.") ? format == Format.JSON
                    : key.startsWith("input.csv.") ? format == Format.CSV : format != Format.AUTO;
            if (!applies && !config.get(key).equals(defaults.get(key))) {
                throw new ConfigException(key + ": set, but it does not apply to " + FORMAT_KEY + "=" + format.code()
                        + (key.startsWith("input.json.") ? " (it is for json)"
                        : key.startsWith("input.csv.") ? " (it is for csv)" : " (it is for json, influx and csv)"));
            }
        }
    }

    private static JsonPointer optionalPointer(StreamcastConfig config, String key) {
        String text = config.get(key);
        return text.isEmpty() ? null : pointer(key, text);
    }

    private static JsonPointer pointer(String key, String text) {
        if (!text.startsWith("/")) {
            throw new ConfigException(key + ": '" + text + "' is not a JSON Pointer (RFC 6901): it must start with "
                    + "'/', e.g. /device");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + text + "' is not a JSON Pointer (RFC 6901): " + e.getMessage());
        }
    }

    private static void readValuePointers(StreamcastConfig config, List<JsonPointer> values, List<String> fields) {
        String text = config.get(JSON_VALUES_KEY);
        if (text.isEmpty()) {
            throw new ConfigException(JSON_VALUES_KEY + ": expected one or more JSON Pointers to numeric fields, "
                    + "e.g. /temperature,/humidity");
        }
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new ConfigException(JSON_VALUES_KEY + ": an empty pointer in '" + text + "'");
            }
            JsonPointer pointer = pointer(JSON_VALUES_KEY, p);
            String field = lastSegment(pointer);
            if (field.isEmpty()) {
                throw new ConfigException(JSON_VALUES_KEY + ": '" + p + "' ends in an empty name");
            }
            int same = fields.indexOf(field);
            if (same >= 0) {
                throw new ConfigException(JSON_VALUES_KEY + ": " + values.get(same) + " and " + p + " both name the "
                        + "field '" + field + "', so their sensors would share an id");
            }
            values.add(pointer);
            fields.add(field);
        }
    }

    /** The unescaped name of a pointer's last segment: {@code /sensors/0/temp} gives {@code temp}. */
    static String lastSegment(JsonPointer pointer) {
        JsonPointer last = pointer.last();
        return last == null ? "" : last.getMatchingProperty();
    }

    private static List<String> csvColumns(String text) {
        List<String> columns = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String c = part.trim();
            if (c.isEmpty()) {
                throw new ConfigException(CSV_COLUMNS_KEY + ": an empty column name in '" + text + "'");
            }
            if ((c.equals(SENSOR) || c.equals(TIMESTAMP) || c.equals(VALUE)) && columns.contains(c)) {
                throw new ConfigException(CSV_COLUMNS_KEY + ": '" + c + "' is named twice in '" + text + "'");
            }
            columns.add(c);
        }
        if (!columns.contains(SENSOR) || !columns.contains(VALUE)) {
            throw new ConfigException(CSV_COLUMNS_KEY + ": expected the columns sensor and value (and timestamp, "
                    + "other names ignored), in their order, got '" + text + "'");
        }
        return columns;
    }

    /**
     * {@code config} with every input.* mapping key at its default (the auto format): for tools that write the auto
     * format themselves, such as the backtest, whatever format the service reads.
     */
    public static StreamcastConfig autoFormat(StreamcastConfig config) {
        StreamcastConfig defaults = StreamcastConfig.defaults();
        StreamcastConfig out = config;
        for (String key : List.of(FORMAT_KEY, JSON_SENSOR_KEY, JSON_VALUES_KEY, JSON_TIMESTAMP_KEY, CSV_COLUMNS_KEY,
                TIMESTAMP_UNIT_KEY)) {
            out = out.with(key, defaults.get(key));
        }
        return out;
    }

    /** Whether the readings' sensor ids come from the payload, so the topology re-keys and repartitions them. */
    public boolean isMapped() {
        return format != Format.AUTO;
    }
}
