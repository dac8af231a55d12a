package dev.streamcast.input;

import dev.streamcast.config.InputMapping;
import dev.streamcast.wire.DecimalText;
import dev.streamcast.wire.RejectReason;
import dev.streamcast.wire.TimestampUnit;
import java.util.List;

/**
 * {@code input.format=csv}: one line or several per record, each a reading, its columns in the order
 * {@code input.csv.columns} gives (default {@code sensor,timestamp,value}; other names are columns to ignore). Cells
 * are trimmed, and a cell in double quotes loses them (no commas inside cells). A line equal to the configured
 * columns is a header, skipped; blank lines are skipped. Without a timestamp column, a reading has the record's
 * timestamp; with one, the cell is read in {@code input.timestamp.unit}.
 */
public final class CsvReadingMapping implements ReadingMapping {

    private final List<String> columns;
    private final int sensorColumn;
    private final int valueColumn;
    private final int timestampColumn;
    private final int needed;
    private final TimestampUnit unit;
    // The cells of the line being read (reused).
    private final String[] cells;

    public CsvReadingMapping(List<String> columns, TimestampUnit unit) {
        this.columns = List.copyOf(columns);
        this.sensorColumn = columns.indexOf(InputMapping.SENSOR);
        this.valueColumn = columns.indexOf(InputMapping.VALUE);
        this.timestampColumn = columns.indexOf(InputMapping.TIMESTAMP);
        this.needed = Math.max(sensorColumn, Math.max(valueColumn, timestampColumn)) + 1;
        this.unit = unit;
        this.cells = new String[columns.size()];
    }

    @Override
    public void map(byte[] key, byte[] value, long recordTimestamp, MappedReadings out) {
        out.clear();
        String text = out.lines(value);
        if (text == null) {
            return;
        }
        int number = 0;
        int lines = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            number++;
            int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            int cellCount = split(text, start, stop);
            start = end + 1;
            if (cellCount == 1 && cells[0].isEmpty() || isHeader(cellCount)) {
                continue;
            }
            lines++;
            mapLine(cellCount, number, recordTimestamp, out);
        }
        if (lines == 0 && text.isBlank()) {
            out.problem(RejectReason.MALFORMED_LINE, "the value is blank");
        }
    }

    /** Splits {@code text[from, to)} at commas into {@link #cells}, trimmed and unquoted; returns the cell count. */
    private int split(String text, int from, int to) {
        int count = 0;
        int start = from;
        while (true) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 || comma > to ? to : comma;
            if (count < cells.length) {
                cells[count] = unquote(text.substring(start, end).trim());
            }
            count++;
            if (end == to) {
                return Math.min(count, cells.length);
            }
            start = end + 1;
        }
    }

    private static String unquote(String cell) {
        return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
                ? cell.substring(1, cell.length() - 1).trim() : cell;
    }

    private boolean isHeader(int cellCount) {
        if (cellCount != columns.size()) {
            return false;
        }
        for (int c = 0; c < cellCount; c++) {
            if (!cells[c].equals(columns.get(c))) {
                return false;
            }
        }
        return true;
    }

    private void mapLine(int cellCount, int number, long recordTimestamp, MappedReadings out) {
        if (cellCount < needed) {
            out.problem(RejectReason.MISSING_FIELD, "line " + number + ": " + cellCount + " columns; "
                    + String.join(",", columns) + " needs " + needed);
            return;
        }
        String sensor = cells[sensorColumn];
        String valueText = cells[valueColumn];
        if (sensor.isEmpty() || valueText.isEmpty()) {
            out.problem(RejectReason.MISSING_FIELD, "line " + number + ": the "
                    + (sensor.isEmpty() ? "sensor" : "value") + " column is empty");
            return;
        }
        double value;
        if (DecimalText.isDecimal(valueText, 0, valueText.length())) {
            value = DecimalText.parse(valueText);
        } else if (DecimalText.isNonFinite(valueText)) {
            value = Double.NaN;
        } else {
            out.problem(RejectReason.BAD_FIELD, "line " + number + ": value '" + abbreviate(valueText)
                    + "' is not a number");
            return;
        }
        long timestamp = recordTimestamp;
        if (timestampColumn >= 0) {
            String t = cells[timestampColumn];
            if (t.isEmpty()) {
                out.problem(RejectReason.MISSING_FIELD, "line " + number + ": the timestamp column is empty");
                return;
            }
            timestamp = unit.fromText(t);
            if (timestamp == TimestampUnit.INVALID) {
                out.problem(RejectReason.BAD_TIMESTAMP, "line " + number + ": timestamp '" + abbreviate(t)
                        + "' is not " + unit.expected() + " from 1970 on");
                return;
            }
        }
        out.offer(sensor, value, timestamp, timestampColumn >= 0);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
