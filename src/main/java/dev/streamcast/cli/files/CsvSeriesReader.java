package dev.streamcast.cli.files;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads series from a CSV file (parsed by Jackson's CSV module). The value column is named, or by default the last
 * column whose first data cell is a number; an optional key column splits the rows into one series per sensor, each
 * kept in file order. Every refusal names the file, the line and the column.
 *
 * <p>The header: a first line without a number is the header and names the columns. A first line of numbers only
 * ({@code 1}, {@code 1000,7.5}) is data: the file has no header, its columns are named {@code column1},
 * {@code column2}, ..., and a log line says so. A first line that mixes names and numbers is refused, since either
 * reading of it could be wrong; no row is ever dropped unseen.
 */
public final class CsvSeriesReader {

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d+");
    /** The names the columns of a file without a header get: column1, column2, ... */
    static final String UNNAMED_COLUMN = "column";
    private static final Logger LOG = LoggerFactory.getLogger(CsvSeriesReader.class);

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
        for (int r = table.firstData; r < table.rows.size(); r++) {
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
        int valueIndex = column != null ? table.indexOf(column, "--column")
                : table.lastNumericColumn(keyIndex, timeIndex);
        table.requireDistinct(keyIndex, valueIndex, "--key", "the value column");
        table.requireDistinct(timeIndex, valueIndex, "the timestamp column", "the value column");
        table.requireDistinct(keyIndex, timeIndex, "--key", "the timestamp column");
        List<SensorReading> readings = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int r = table.firstData; r < table.rows.size(); r++) {
            if (table.row(r) == null) {
                continue;
            }
            String key = keyIndex < 0 ? table.header[valueIndex] : table.key(r, keyIndex);
            double value = table.number(r, valueIndex);
            int index = counts.merge(key, 1, Integer::sum) - 1;
            long timestamp = timeIndex < 0 ? SYNTHETIC_START.plusSeconds(index).toEpochMilli()
                    : table.timestamp(r, timeIndex);
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
                String name = e.getKey().equals("all") && series.size() == 1 ? "the series"
                        : "series '" + e.getKey() + "'";
                throw new UserInputException(file + ": " + name + " has " + e.getValue().length
                        + " values; it needs at least " + (windowLength + 1) + " (a window of " + windowLength
                        + " and the value after it)");
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

    /**
     * The rows of a CSV file and its column names, from its header line or, without one, by position; every refusal
     * names the file, the line and the column.
     */
    private static final class Table {
        final Path file;
        final List<String[]> rows;
        final String[] header;
        /** The index in {@link #rows} of the first data row: 1 after a header line, 0 without. */
        final int firstData;

        private Table(Path file, List<String[]> rows, String[] header, int firstData) {
            this.file = file;
            this.rows = rows;
            this.header = header;
            this.firstData = firstData;
        }

        static Table read(Path file) {
            List<String[]> rows = readRows(file);
            if (rows.isEmpty()) {
                throw new UserInputException(file + ": the file is empty; expected a header line and rows of values");
            }
            String[] first = rows.get(0);
            List<Integer> numbers = new ArrayList<>();
            for (int k = 0; k < first.length; k++) {
                first[k] = first[k].trim();
                if (isNumber(first[k])) {
                    numbers.add(k);
                }
            }
            if (numbers.isEmpty()) {
                if (rows.size() < 2) {
                    throw new UserInputException(file + ": no rows after the header line");
                }
                return new Table(file, rows, first, 1);
            }
            if (numbers.size() < first.length) {
                int k = numbers.get(0);
                throw new UserInputException(file + ", line 1: '" + first[k] + "' (column " + (k + 1)
                        + ") is a number beside names, so line 1 is neither a header nor plainly data: add a header "
                        + "line naming every column (e.g. timestamp,sensor,value), or remove the names");
            }
            String[] names = new String[first.length];
            for (int k = 0; k < names.length; k++) {
                names[k] = UNNAMED_COLUMN + (k + 1);
            }
            LOG.info("{} has no header line (line 1 holds only numbers): line 1 is read as data and its {} column{} "
                    + "named {}", file, names.length, names.length == 1 ? " is" : "s are", String.join(", ", names));
            return new Table(file, rows, names, 0);
        }

        /** Row {@code r} (a data row), or null for a blank line; a row of another width is refused. */
        String[] row(int r) {
            String[] row = rows.get(r);
            if (row.length == 1 && row[0].isBlank()) {
                return null;
            }
            if (row.length != header.length) {
                throw new UserInputException(file + ", line " + (r + 1) + ": expected " + header.length
                        + " columns like " + (firstData == 1 ? "the header" : "line 1") + ", got " + row.length);
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
            String[] firstRow = rows.get(firstData);
            for (int k = Math.min(header.length, firstRow.length) - 1; k >= 0; k--) {
                if (k != keyIndex && k != timeIndex && isNumber(firstRow[k])) {
                    return k;
                }
            }
            throw new UserInputException(file + ", line " + (firstData + 1) + ": no column holds a number; name the "
                    + "value column with --column");
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
                throw new UserInputException(file + ", line " + (r + 1) + ", column '" + header[column]
                        + "': empty key");
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
                            + text + "' is not a timestamp (ISO-8601 such as 2026-11-26T12:00:00Z, or epoch "
                            + "milliseconds)");
                }
            }
        }
    }
}
