package dev.streamcast.bench.input;

import dev.streamcast.config.InputMapping;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.input.InputFormats;
import dev.streamcast.input.MappedReading;
import dev.streamcast.input.MappedReadings;
import dev.streamcast.input.ReadingMapping;
import dev.streamcast.input.ReadingParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH benchmarks of reading a record of the readings topic, per reading, one thread ({@code RunParserBenchmarks} on
 * the test class path runs them). The auto format is {@link ReadingParser#parse}; a mapped format's cost per reading
 * is all it adds to the stream thread's work: the mapping, the repartition record's key and value, and decoding that
 * record on the far side (the repartition topic's own cost, a produce and a fetch, is measured apart:
 * docs/connecting.md).
 *
 * <ul>
 *   <li>{@code autoNumber}, {@code autoObject}: a bare number; an object with its epoch-millisecond timestamp.</li>
 *   <li>{@code jsonDevice}: a device's message with two measurements, id and epoch seconds inside: two readings.</li>
 *   <li>{@code jsonValue}: {@code {"value": .., "timestamp": ..}} under input.format=json: one reading, the same
 *       bytes as autoObject.</li>
 *   <li>{@code influxLine}: a line with two tags and two fields, nanoseconds: two readings.</li>
 *   <li>{@code csvLine}: {@code sensor,timestamp,value}: one reading.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParserBenchmarks {

    static final byte[] KEY = utf8("greenhouse-17");
    static final byte[] NUMBER = utf8("21.437");
    static final byte[] OBJECT = utf8("{\"value\":21.437,\"timestamp\":1733500000000}");
    static final byte[] DEVICE = utf8("{\"device\":\"m-17\",\"ts\":1733500000,\"temperature\":21.4,\"humidity\":40.2}");
    static final byte[] LINE = utf8("weather,region=eu,site=north temperature=21.4,humidity=40.2 1733500000000000000");
    static final byte[] CSV = utf8("greenhouse-17,1733500000,21.437");

    /** The auto format's parser. */
    @State(Scope.Thread)
    public static class AutoState {
        final ReadingParser parser = new ReadingParser(1e12);
    }

    /** Each mapped format's mapping, its result and the decoder on the repartition's far side. */
    @State(Scope.Thread)
    public static class MappedState {
        ReadingMapping device;
        ReadingMapping value;
        ReadingMapping influx;
        ReadingMapping csv;
        final MappedReadings readings = new MappedReadings(1e12);
        final MappedReading.Decoder decoder = new MappedReading.Decoder();

        @Setup
        public void setUp() {
            device = InputFormats.mapping(mapping(Map.of("input.format", "json", "input.json.sensor", "/device",
                    "input.json.values", "/temperature,/humidity", "input.json.timestamp", "/ts")));
            value = InputFormats.mapping(
                    mapping(Map.of("input.format", "json", "input.json.timestamp", "/timestamp")));
            influx = InputFormats.mapping(mapping(Map.of("input.format", "influx")));
            csv = InputFormats.mapping(mapping(Map.of("input.format", "csv")));
        }

        private static InputMapping mapping(Map<String, String> settings) {
            return InputMapping.from(StreamcastConfig.of(settings));
        }

        /**
         * Maps the record and does what the topology does with each reading: its repartition key and value, then
         * the decoding of them. Returns the readings' count.
         */
        int mapAndDecode(ReadingMapping mapping, byte[] key, byte[] record, Blackhole hole) {
            mapping.map(key, record, 1_733_500_000_000L, readings);
            int n = readings.count();
            for (int i = 0; i < n; i++) {
                byte[] id = readings.id(i).getBytes(StandardCharsets.UTF_8);
                byte[] bytes = MappedReading.encode(readings.value(i), readings.timestamp(i),
                        readings.hasExplicitTimestamp(i));
                decoder.parse(id, bytes, 1_733_500_000_000L);
                hole.consume(decoder.sensorId());
                hole.consume(decoder.value());
            }
            if (n == 0 || readings.hasProblems()) {
                throw new IllegalStateException("the benchmark's record did not map: " + readings.message());
            }
            return n;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public boolean autoNumber(AutoState s) {
        return s.parser.parse(KEY, NUMBER, 1_733_500_000_000L);
    }

    @Benchmark
    public boolean autoObject(AutoState s) {
        return s.parser.parse(KEY, OBJECT, 1_733_500_000_000L);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int jsonDevice(MappedState s, Blackhole hole) {
        return s.mapAndDecode(s.device, null, DEVICE, hole);
    }

    @Benchmark
    public int jsonValue(MappedState s, Blackhole hole) {
        return s.mapAndDecode(s.value, KEY, OBJECT, hole);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int influxLine(MappedState s, Blackhole hole) {
        return s.mapAndDecode(s.influx, null, LINE, hole);
    }

    @Benchmark
    public int csvLine(MappedState s, Blackhole hole) {
        return s.mapAndDecode(s.csv, null, CSV, hole);
    }
}
