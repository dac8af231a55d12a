package dev.streamcast.bench.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The parser benchmarks are listed for JMH and time what they say: every record maps to its readings. */
@Tag("unit")
class ParserBenchmarksTest {

    @Test
    void theAnnotationProcessorListedTheSixBenchmarks() throws IOException {
        try (InputStream in = ParserBenchmarks.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String method : List.of("autoNumber", "autoObject", "jsonValue", "jsonDevice", "influxLine",
                    "csvLine")) {
                assertTrue(list.contains(ParserBenchmarks.class.getName()) && list.contains(" " + method + " "),
                        method + " missing from " + list);
            }
        }
    }

    @Test
    void eachBenchmarkReadsTheReadingsOfItsRecord() {
        ParserBenchmarks b = new ParserBenchmarks();
        ParserBenchmarks.AutoState auto = new ParserBenchmarks.AutoState();
        assertTrue(b.autoNumber(auto));
        assertTrue(b.autoObject(auto));
        assertEquals(1_733_500_000_000L, auto.parser.timestamp());
        ParserBenchmarks.MappedState mapped = new ParserBenchmarks.MappedState();
        mapped.setUp();
        Blackhole hole = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly "
                + "is dangerous.");
        assertEquals(1, b.jsonValue(mapped, hole));
        assertEquals(2, b.jsonDevice(mapped, hole));
        assertEquals("m-17.humidity", mapped.decoder.sensorId());
        assertEquals(2, b.influxLine(mapped, hole));
        assertEquals("weather.eu.north.humidity", mapped.decoder.sensorId());
        assertEquals(1_733_500_000_000L, mapped.decoder.timestamp());
        assertEquals(1, b.csvLine(mapped, hole));
        assertEquals(21.437, mapped.decoder.value());
    }
}
