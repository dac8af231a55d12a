package dev.streamcast.cli.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamcast.backtest.SensorReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timestamped readings from a CSV file, as backtest and replay read them. */
@Tag("unit")
class CsvSeriesReaderTest {

    @TempDir
    Path dir;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void timestampsAreIsoInstantsDateTimesInUtcDatesOrEpochMilliseconds() throws IOException {
        Path csv = Files.writeString(dir.resolve("times.csv"), """
                station,time,temperature
                x,2026-11-26T12:00:00Z,1
                x,2026-11-26T13:00:00+01:00,2
                x,2026-11-26 14:00:00,3
                x,2026-11-27,4
                x,1764158400000,5
                """);
        List<SensorReading> readings = CsvSeriesReader.readReadings(csv, null, "station", "time");
        assertEquals(List.of(
                new SensorReading("x", at("2026-11-26T12:00:00Z"), 1),
                new SensorReading("x", at("2026-11-26T12:00:00Z"), 2),
                new SensorReading("x", at("2026-11-26T14:00:00Z"), 3),
                new SensorReading("x", at("2026-11-27T00:00:00Z"), 4),
                new SensorReading("x", 1764158400000L, 5)), readings);
    }

    @Test
    void aColumnNamedTimestampIsTheDefaultAndNeverTheValue() throws IOException {
        Path csv = Files.writeString(dir.resolve("epoch.csv"), "value,timestamp\n7.5,1000\n8.5,2000\n");
        assertEquals(List.of(new SensorReading("value", 1000, 7.5), new SensorReading("value", 2000, 8.5)),
                CsvSeriesReader.readReadings(csv, null, null, null));
    }

    @Test
    void withoutATimestampColumnEachSeriesRowsAreOneSecondApartFromTwoThousand() throws IOException {
        Path csv = Files.writeString(dir.resolve("plain.csv"), "sensor,value\na,1\nb,10\na,2\n");
        long start = CsvSeriesReader.SYNTHETIC_START.toEpochMilli();
        assertEquals(List.of(new SensorReading("a", start, 1), new SensorReading("b", start, 10),
                new SensorReading("a", start + 1000, 2)), CsvSeriesReader.readReadings(csv, null, "sensor", null));
    }

    @Test
    void aFileWithoutAHeaderLosesNoRowItsColumnsAreNamedByPosition() throws IOException {
        Path one = Files.writeString(dir.resolve("bare.csv"), "1\n2\n3\n");
        long start = CsvSeriesReader.SYNTHETIC_START.toEpochMilli();
        assertEquals(List.of(new SensorReading("column1", start, 1), new SensorReading("column1", start + 1000, 2),
                new SensorReading("column1", start + 2000, 3)), CsvSeriesReader.readReadings(one, null, null, null));
        assertArrayEquals(new double[] {1, 2, 3}, CsvSeriesReader.read(one, null, null).get("all"));

        Path two = Files.writeString(dir.resolve("bare2.csv"), "1000,7.5\n2000,8.5\n");
        assertEquals(List.of(new SensorReading("column2", 1000, 7.5), new SensorReading("column2", 2000, 8.5)),
                CsvSeriesReader.readReadings(two, null, null, "column1"));
        assertEquals(List.of(new SensorReading("column1", start, 1000), new SensorReading("column1", start + 1000,
                2000)), CsvSeriesReader.readReadings(two, "column1", null, null));
    }

    @Test
    void aHeaderIsALineWithoutNumbersAndItsRowsAreAllRead() throws IOException {
        Path csv = Files.writeString(dir.resolve("named.csv"), "sensor,value\na,1\nb,2\n");
        Map<String, double[]> series = CsvSeriesReader.read(csv, null, "sensor");
        assertEquals(List.of("a", "b"), List.copyOf(series.keySet()));
        assertArrayEquals(new double[] {1}, series.get("a"));
    }

    @Test
    void aFirstLineMixingNamesAndNumbersIsRefusedNamingTheCell() throws IOException {
        Path headless = Files.writeString(dir.resolve("mixed.csv"),
                "x,2026-11-26T12:00:00Z,1.5\nx,2026-11-26T13:00:00Z,2\n");
        UserInputException e = assertThrows(UserInputException.class,
                () -> CsvSeriesReader.readReadings(headless, null, null, null));
        assertTrue(e.getMessage().startsWith(headless + ", line 1: '1.5' (column 3) is a number"), e.getMessage());
        assertTrue(e.getMessage().contains("add a header line"), e.getMessage());
        Path numberedHeader = Files.writeString(dir.resolve("year.csv"), "sensor,2024\na,1\n");
        assertThrows(UserInputException.class, () -> CsvSeriesReader.read(numberedHeader, null, null));
    }
}
