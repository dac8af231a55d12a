package dev.streamcast.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.streamcast.backtest.SensorReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads series from a CSV file with a header (parsed by Jackson's CSV module). The value column is named, or
 * by default the last column whose first data cell is a number; an optional key column splits the rows into one
 * series per sensor, each kept in file order. Every refusal names the file, the line and the column.
 */
public final class CsvSeriesReader {

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d+");

    private CsvSeriesReader() {
    }

    /**
     * Where a reading is synthesised from when the file has no timestamp column: the i-th reading of each series
     * is at this instant plus i seconds, so the series interleave step by step when replayed.
     */
    public static final Instant SYNTHETIC_START = Instant.parse("2000-01-01T00:00:00Z");

    /** The series of the file, by key in order of first appearance ("all" when there is no key column). */
    public static Map<String, double[]> read(Path file, String column, String keyColumn) {
        Table table = Table.read(file);
        int keyIndex = keyColumn == null ? -1 : table.indexOf(keyColumn, "--key");
        int valueIndex = column != null ? table.indexOf(column, "--column") : table.lastNumericColumn(keyIndex, -1);
        table.requireDistinct(keyIndex, valueIndex, "--key", "the value column");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (int r = 1; r < table.rows.size(); r++) {
            String[] row = table.row(r);
            if (row == null) {
                continue;
            }
            String key = keyIndex < 0 ? "all" : table.key(r, keyIndex);
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(table.number(r, valueIndex));
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        series.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * The rows of the file as timestamped readings, in file order. The timestamp column is named, or by default
     * the column {@code timestamp} when there is one; its cells are ISO-8601 (an instant, a date-time with or
     * without offset, taken as UTC without, or a date) or epoch milliseconds. Without a timestamp column, see
     * {@link #SYNTHETIC_START}. Without a key column, the one sensor is named after the value column.
     */
    public static List<SensorReading> readReadings(Path file, String column, String keyColumn, String timestampColumn) {
        Table table = Table.read(file);
        int keyIndex = keyColumn == null ? -1 : table.indexOf(keyColumn, "--key");
        int timeIndex = timestampColumn != null ? table.indexOf(timestampColumn, "--timestamp")
                : Arrays.asList(table.header).indexOf("timestamp");
        int valueIndex = column != null ? table.indexOf(column, "--column") : table.lastNumericColumn(keyIndex, timeIndex);
        table.requireDistinct(keyIndex, valueIndex, "--key", "the value column");
        table.requireDistinct(timeIndex, valueIndex, "the timestamp column", "the value column");
        table.requireDistinct(keyIndex, timeIndex, "--key", "the timestamp column");
        List<SensorReading> readings = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int r = 1; r < table.rows.size(); r++) {
            if (table.row(r) == null) {
                continue;
            }
            String key = keyIndex < 0 ? table.header[valueIndex] : table.key(r, keyIndex);
            double value = table.number(r, valueIndex);
            int index = counts.merge(key, 1, Integer::sum) - 1;
            long timestamp = timeIndex < 0 ? SYNTHETIC_START.plusSeconds(index).toEpochMilli() : table.timestamp(r, timeIndex);
            readings.add(new SensorReading(key, timestamp, value));
        }
        if (readings.isEmpty()) {
            throw new UserInputException(file + ": no rows after the header line");
        }
        return readings;
    }

    /** Refuses any series too short to give one window and the value after it. */
    public static void requireLength(Path file, Map<String, double[]> series, int windowLength) {
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length <= windowLength) {
                String name = e.getKey().equals("all") && series.size() == 1 ? "the series" : "series '" + e.getKey() + "'";
                throw new UserInputException(file + ": " + name + " has " + e.getValue().length + " values; it needs at "
                        + "least " + (windowLength + 1) + " (a window of " + windowLength + " and the value after it)");
            }
        }
    }

    private static List<String[]> readRows(Path file) {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserInputException(file + ": no such file");
        } catch (RuntimeJsonMappingException e) {
            throw new UserInputException(file + ": not a readable CSV file: " + e.getMessage());
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new UserInputException(file + ": no such file");
            }
            throw new UserInputException(file + ": cannot read: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return rows;
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The rows of a CSV file, the first its header; every refusal names the file, the line and the column. */
    private static final class Table {
        final Path file;
        final List<String[]> rows;
        final String[] header;

        private Table(Path file, List<String[]> rows) {
            this.file = file;
            this.rows = rows;
            this.header = rows.get(0);
            for (int k = 0; k < header.length; k++) {
                header[k] = header[k].trim();
            }
        }

        static Table read(Path file) {
            List<String[]> rows = readRows(file);
            if (rows.isEmpty()) {
                throw new UserInputException(file + ": the file is empty; expected a header line and rows of values");
            }
            if (rows.size() < 2) {
                throw new UserInputException(file + ": no rows after the header line");
            }
            return new Table(file, rows);
        }

        /** Row {@code r} (0 is the header), or null for a blank line; a row of another width is refused. */
        String[] row(int r) {
            String[] row = rows.get(r);
            if (row.length == 1 && row[0].isBlank()) {
                return null;
            }
            if (row.length != header.length) {
                throw new UserInputException(file + ", line " + (r + 1) + ": expected " + header.length
                        + " columns like the header, got " + row.length);
            }
            return row;
        }

        int indexOf(String name, String flag) {
            for (int k = 0; k < header.length; k++) {
                if (header[k].equals(name)) {
                    return k;
                }
            }
            throw new UserInputException(file + ": " + flag + " names no column '" + name + "'; the columns are "
                    + Arrays.toString(header));
        }

        /** The last column, other than the two given, whose first data cell is a number. */
        int lastNumericColumn(int keyIndex, int timeIndex) {
            String[] firstRow = rows.get(1);
            for (int k = Math.min(header.length, firstRow.length) - 1; k >= 0; k--) {
                if (k != keyIndex && k != timeIndex && isNumber(firstRow[k])) {
                    return k;
                }
            }
            throw new UserInputException(file + ", line 2: no column holds a number; name the value column with --column");
        }

        void requireDistinct(int a, int b, String nameA, String nameB) {
            if (a >= 0 && a == b) {
                throw new UserInputException(file + ": " + nameA + " and " + nameB + " are the same column '"
                        + header[a] + "'");
            }
        }

        String key(int r, int column) {
            String key = rows.get(r)[column].trim();
            if (key.isEmpty()) {
                throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column] + "': empty key");
            }
            return key;
        }

        double number(int r, int column) {
            String text = rows.get(r)[column].trim();
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column] + "': '" + text
                        + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column] + "': '" + text
                        + "' is not a finite number");
            }
            return value;
        }

        /**
         * Epoch milliseconds from ISO-8601 (instant, date-time with or without offset, date) or epoch ms; a time
         * before 1970 is refused, as the stream refuses it (Kafka's timestamps start there).
         */
        long timestamp(int r, int column) {
            long timestamp = parseTimestamp(r, column);
            if (timestamp < 0) {
                throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column] + "': '"
                        + rows.get(r)[column].trim() + "' is before 1970-01-01, where Kafka's timestamps start (the "
                        + "service refuses such readings as bad-timestamp): shift the file's timestamps to 1970 or "
                        + "later");
            }
            return timestamp;
        }

        private long parseTimestamp(int r, int column) {
            String text = rows.get(r)[column].trim();
            try {
                if (EPOCH_MILLIS.matcher(text).matches()) {
                    return Long.parseLong(text);
                }
                TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text.replace(' ', 'T'),
                        OffsetDateTime::from, LocalDateTime::from);
                if (parsed instanceof OffsetDateTime odt) {
                    return odt.toInstant().toEpochMilli();
                }
                return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException | NumberFormatException e) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException notADate) {
                    throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column] + "': '"
                            + text + "' is not a timestamp (ISO-8601 such as 2026-11-26T12:00:00Z, or epoch milliseconds)");
                }
            }
        }
    }
}
