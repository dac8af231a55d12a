package dev.streamcast.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads series from a CSV file with a header (parsed by Jackson's CSV module). The value column is named, or
 * by default the last column whose first data cell is a number; an optional key column splits the rows into one
 * series per sensor, each kept in file order. Every refusal names the file, the line and the column.
 */
public final class CsvSeriesReader {

    private CsvSeriesReader() {
    }

    /** The series of the file, by key in order of first appearance ("all" when there is no key column). */
    public static Map<String, double[]> read(Path file, String column, String keyColumn) {
        List<String[]> rows = readRows(file);
        if (rows.isEmpty()) {
            throw new UserInputException(file + ": the file is empty; expected a header line and rows of values");
        }
        String[] header = rows.get(0);
        for (int k = 0; k < header.length; k++) {
            header[k] = header[k].trim();
        }
        if (rows.size() < 2) {
            throw new UserInputException(file + ": no rows after the header line");
        }
        int keyIndex = keyColumn == null ? -1 : indexOf(file, header, keyColumn, "--key");
        int valueIndex = column != null ? indexOf(file, header, column, "--column")
                : lastNumericColumn(file, header, rows.get(1), keyIndex);
        if (valueIndex == keyIndex) {
            throw new UserInputException(file + ": --key and the value column are the same column '" + header[keyIndex] + "'");
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            int line = r + 1;
            if (row.length == 1 && row[0].isBlank()) {
                continue;
            }
            if (row.length != header.length) {
                throw new UserInputException(file + ", line " + line + ": expected " + header.length + " columns like the "
                        + "header, got " + row.length);
            }
            String key = keyIndex < 0 ? "all" : row[keyIndex].trim();
            if (key.isEmpty()) {
                throw new UserInputException(file + ", line " + line + ", column '" + header[keyIndex] + "': empty key");
            }
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(number(file, line, header[valueIndex], row[valueIndex]));
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        series.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
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

    private static int indexOf(Path file, String[] header, String name, String flag) {
        for (int k = 0; k < header.length; k++) {
            if (header[k].equals(name)) {
                return k;
            }
        }
        throw new UserInputException(file + ": " + flag + " names no column '" + name + "'; the columns are "
                + Arrays.toString(header));
    }

    private static int lastNumericColumn(Path file, String[] header, String[] firstRow, int keyIndex) {
        for (int k = Math.min(header.length, firstRow.length) - 1; k >= 0; k--) {
            if (k != keyIndex && isNumber(firstRow[k])) {
                return k;
            }
        }
        throw new UserInputException(file + ", line 2: no column holds a number; name the value column with --column");
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double number(Path file, int line, String column, String cell) {
        String text = cell.trim();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserInputException(file + ", line " + line + ", column '" + column + "': '" + text
                    + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new UserInputException(file + ", line " + line + ", column '" + column + "': '" + text
                    + "' is not a finite number");
        }
        return value;
    }
}
