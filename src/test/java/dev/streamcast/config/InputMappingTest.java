package dev.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.input.MappedReading;
import dev.streamcast.wire.DecimalText;
import dev.streamcast.wire.TimestampUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** input.*: the settings and their refusals, the timestamp units, the decimal grammar of text formats. */
@Tag("unit")
class InputMappingTest {

    private static InputMapping mapping(String... keyValues) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return InputMapping.from(StreamcastConfig.of(overrides));
    }

    @Test
    void theDefaultIsTheAutoFormatWhichIsNotMapped() {
        InputMapping input = mapping();
        assertEquals(InputMapping.Format.AUTO, input.format());
        assertFalse(input.isMapped());
        assertEquals(TimestampUnit.AUTO, input.timestampUnit());
    }

    @Test
    void jsonPointersAreCompiledAndEachValueNamesItsField() {
        InputMapping input = mapping("input.format", "JSON", "input.json.sensor", "/meta/device",
                "input.json.values", " /readings/temperature , /humidity,/a~1b", "input.json.timestamp", "/ts");
        assertTrue(input.isMapped());
        assertEquals("/meta/device", input.jsonSensor().toString());
        assertEquals(List.of("temperature", "humidity", "a/b"), input.jsonFields());
        assertEquals("/ts", input.jsonTimestamp().toString());
    }

    @Test
    void aMappingThatCannotWorkIsAConfigurationErrorNamingItsKey() {
        String[][] mistakes = {
            {"input.format", "xml", "input.format: expected auto, json, influx or csv, got 'xml'"},
            {"input.format", "json", "input.json.values", "", "input.json.values: expected one or more"},
            {"input.format", "json", "input.json.values", "temperature", "is not a JSON Pointer"},
            {"input.format", "json", "input.json.values", "/a,,/b", "an empty pointer"},
            {"input.format", "json", "input.json.values", "/a/", "ends in an empty name"},
            {"input.format", "json", "input.json.values", "/x/t,/y/t", "both name the field 't'"},
            {"input.format", "json", "input.json.sensor", "device",
                "input.json.sensor: 'device' is not a JSON Pointer"},
            {"input.format", "json", "input.json.sensor", "/id", "input.json.values", "/id", "is also the sensor"},
            {"input.format", "json", "input.json.sensor", "/id", "input.json.timestamp", "/id",
                "input.json.timestamp: /id is also the sensor"},
            {"input.format", "csv", "input.csv.columns", "sensor,timestamp", "input.csv.columns: expected the columns"},
            {"input.format", "csv", "input.csv.columns", "sensor,value,value", "'value' is named twice"},
            {"input.format", "csv", "input.csv.columns", "sensor,,value", "an empty column name"},
            {"input.format", "influx", "input.timestamp.unit", "iso", "line protocol timestamps are integers"},
            {"input.format", "csv", "input.timestamp.unit", "minutes", "input.timestamp.unit: expected auto, s, ms"},
            {"input.json.sensor", "/device", "input.json.sensor: set, but it does not apply to input.format=auto"},
            {"input.format", "influx", "input.csv.columns", "value,sensor", "input.csv.columns: set, but it does not "
                + "apply to input.format=influx (it is for csv)"},
            {"input.timestamp.unit", "s", "input.timestamp.unit: set, but it does not apply to input.format=auto"},
        };
        for (String[] m : mistakes) {
            String[] keyValues = Arrays.copyOf(m, m.length - 1);
            ConfigException e = assertThrows(ConfigException.class, () -> mapping(keyValues), String.join(" ", m));
            assertTrue(e.getMessage().contains(m[m.length - 1]), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertThrows(ConfigException.class, () -> ForecastSettings.from(StreamcastConfig.of(Map.of("input.format",
                "yaml"))), "the service's settings check it");
    }

    @Test
    void toolsThatWriteTheAutoFormatResetTheMapping() {
        StreamcastConfig json = StreamcastConfig.of(Map.of("input.format", "json", "input.json.sensor", "/device",
                "input.timestamp.unit", "s", "window.length", "3"));
        StreamcastConfig auto = InputMapping.autoFormat(json);
        assertEquals(InputMapping.Format.AUTO, InputMapping.from(auto).format());
        assertEquals("", auto.get("input.json.sensor"));
        assertEquals("3", auto.get("window.length"), "the rest as it was");
    }

    @Test
    void autoTellsSecondsMillisecondsMicrosecondsAndNanosecondsApartByTheirSize() {
        TimestampUnit auto = TimestampUnit.AUTO;
        assertEquals(99_999_999_999_000L, auto.toMillis(99_999_999_999L), "below 1e11: seconds");
        assertEquals(100_000_000_000L, auto.toMillis(100_000_000_000L), "1e11: milliseconds");
        assertEquals(99_999_999_999_999L, auto.toMillis(99_999_999_999_999L));
        assertEquals(100_000_000_000L, auto.toMillis(100_000_000_000_000L), "1e14: microseconds");
        assertEquals(100_000_000_000L, auto.toMillis(100_000_000_000_000_000L), "1e17: nanoseconds");
        assertEquals(1_733_500_000_123L, auto.toMillis(1_733_500_000_123_456_789L));
        assertEquals(0, auto.toMillis(0L));
        assertEquals(TimestampUnit.INVALID, auto.toMillis(-1L), "before 1970");
        assertEquals(1_733_500_000_250L, auto.toMillis(1_733_500_000.25), "decimal seconds");
        assertEquals(TimestampUnit.INVALID, auto.toMillis(Double.NaN));
        assertEquals(1_733_500_000_000L, auto.fromText("1733500000"));
        assertEquals(1_733_500_000_000L, auto.fromText(" 2024-12-06T15:46:40Z "));
        assertEquals(1_733_500_000_000L, auto.fromText("2024-12-06T16:46:40+01:00"));
        assertEquals(TimestampUnit.INVALID, auto.fromText("yesterday"));
        assertEquals(TimestampUnit.INVALID, auto.fromText("1900-01-01T00:00:00Z"));
    }

    @Test
    void aFixedUnitReadsEveryNumberInIt() {
        assertEquals(5_000L, TimestampUnit.SECONDS.toMillis(5L));
        assertEquals(1_733_500_000_000_000L, TimestampUnit.SECONDS.toMillis(1_733_500_000_000L), "large seconds too");
        assertEquals(TimestampUnit.INVALID, TimestampUnit.SECONDS.toMillis(Long.MAX_VALUE / 1000 + 1), "overflow");
        assertEquals(5L, TimestampUnit.MILLISECONDS.toMillis(5L), "1970, but milliseconds as told");
        assertEquals(5L, TimestampUnit.MICROSECONDS.toMillis(5_999L));
        assertEquals(5L, TimestampUnit.NANOSECONDS.toMillis(5_999_999L));
        assertEquals(1_500L, TimestampUnit.SECONDS.fromText("1.5"));
        assertEquals(TimestampUnit.INVALID, TimestampUnit.SECONDS.fromText("2024-12-06T15:46:40Z"), "not in s");
        assertEquals(TimestampUnit.INVALID, TimestampUnit.ISO.fromText("1733500000"), "not ISO-8601");
        assertEquals(1_733_500_000_000L, TimestampUnit.ISO.fromText("2024-12-06T15:46:40Z"));
        assertEquals(TimestampUnit.INVALID, TimestampUnit.MILLISECONDS.toMillis(1e19), "beyond a long");
    }

    @Test
    void aMappedReadingCrossesTheRepartitionTopicAsItWas() {
        MappedReading.Decoder decoder = new MappedReading.Decoder();
        for (double value : new double[] {21.4, -0.0, 1e-300, -1e12, Double.MIN_VALUE}) {
            for (long timestamp : new long[] {0, 1_733_500_000_123L, Long.MAX_VALUE}) {
                byte[] bytes = MappedReading.encode(value, timestamp, timestamp > 0);
                assertEquals(MappedReading.SIZE, bytes.length);
                assertTrue(decoder.parse("m-17.temp".getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes, 0));
                assertEquals("m-17.temp", decoder.sensorId());
                assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(decoder.value()));
                assertEquals(timestamp, decoder.timestamp());
                assertEquals(timestamp > 0, decoder.hasExplicitTimestamp());
            }
        }
        assertThrows(IllegalStateException.class, () -> decoder.parse(new byte[] {1}, new byte[] {2, 0}, 0),
                "not a record of the repartition topic");
    }

    @Test
    void textNumbersFollowOneDecimalGrammar() {
        for (String ok : List.of("1", "-1", "+1", "1.5", ".5", "5.", "-1e-3", "2E+10", "007")) {
            assertTrue(DecimalText.isDecimal(ok, 0, ok.length()), ok);
        }
        for (String bad : List.of("", "-", ".", "e5", "1e", "0x1p3", "21.5f", "1d", "1,5", "1 2", "NaN", "--1")) {
            assertFalse(DecimalText.isDecimal(bad, 0, bad.length()), bad);
        }
        assertEquals(0.5, DecimalText.parse(".5"));
        assertEquals(1.0, DecimalText.parse("+1"));
        for (String nonFinite : List.of("-Infinity", "nan", "inf", "+Inf")) {
            assertTrue(DecimalText.isNonFinite(nonFinite), nonFinite);
        }
        assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("1e400"));
    }
}
