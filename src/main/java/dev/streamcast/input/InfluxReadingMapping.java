package dev.streamcast.input;

import dev.streamcast.wire.DecimalText;
import dev.streamcast.wire.RejectReason;
import dev.streamcast.wire.TimestampUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code input.format=influx}: InfluxDB line protocol, one or more lines per record (what Telegraf's
 * {@code outputs.kafka} writes with {@code data_format = "influx"}):
 * <pre>
 *   measurement[,tag_key=tag_value...] field_key=field_value[,field_key=field_value...] [timestamp]
 * </pre>
 * Each numeric field of each line is a sensor of its own, with the id
 * {@code <measurement>.<tag values in tag-key order, joined by '.'>.<field key>} ({@code <measurement>.<field key>}
 * without tags). Floats and integers ({@code 42i}, {@code 42u}) are readings; booleans and strings are neither
 * readings nor refusals. The timestamp is read in {@code input.timestamp.unit} (auto tells nanoseconds, line
 * protocol's unit, by their size); without one, the record's. Escapes ({@code \,} {@code \=} {@code \ }) are
 * read as line protocol defines them; lines starting with {@code #} are comments.
 */
public final class InfluxReadingMapping implements ReadingMapping {

    private final TimestampUnit unit;
    // One line's parts, reused line after line.
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder id = new StringBuilder();
    private final List<String> tagKeys = new ArrayList<>();
    private final List<String> tagValues = new ArrayList<>();
    private final List<String> fieldKeys = new ArrayList<>();
    private final List<String> fieldTexts = new ArrayList<>();
    private String line;
    private int pos;

    public InfluxReadingMapping(TimestampUnit unit) {
        this.unit = unit;
    }

    @Override
    public void map(byte[] key, byte[] value, long recordTimestamp, MappedReadings out) {
        out.clear();
        String text = out.lines(value);
        if (text == null) {
            return;
        }
        int lines = 0;
        int number = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            number++;
            String l = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (l.isBlank() || l.stripLeading().startsWith("#")) {
                continue;
            }
            lines++;
            mapLine(l, number, recordTimestamp, out);
        }
        if (lines == 0) {
            out.problem(RejectReason.MALFORMED_LINE, "the value holds no line of line protocol");
        }
    }

    private void mapLine(String l, int number, long recordTimestamp, MappedReadings out) {
        line = l;
        pos = 0;
        tagKeys.clear();
        tagValues.clear();
        fieldKeys.clear();
        fieldTexts.clear();
        String measurement = readName(true);
        if (measurement.isEmpty()) {
            out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": no measurement");
            return;
        }
        while (pos < line.length() && line.charAt(pos) == ',') {
            pos++;
            String tagKey = readName(false);
            if (tagKey.isEmpty() || !expect('=')) {
                out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": a tag without key=value");
                return;
            }
            String tagValue = readName(false);
            if (tagValue.isEmpty()) {
                out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": tag '" + tagKey + "' has no value");
                return;
            }
            insertTag(tagKey, tagValue);
        }
        if (!skipSpaces()) {
            out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": no fields after the measurement and tags");
            return;
        }
        do {
            String fieldKey = readName(false);
            if (fieldKey.isEmpty() || !expect('=')) {
                out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": a field without key=value");
                return;
            }
            String fieldText = readFieldValue();
            if (fieldText == null) {
                out.problem(RejectReason.MALFORMED_LINE, "line " + number + ": field '" + fieldKey + "' has no value "
                        + "or an unclosed string");
                return;
            }
            fieldKeys.add(fieldKey);
            fieldTexts.add(fieldText);
        } while (expect(','));
        long timestamp = recordTimestamp;
        boolean explicit = false;
        if (skipSpaces()) {
            String t = line.substring(pos).trim();
            long millis = DecimalText.isInteger(t, 0, t.length()) && t.length() <= 19
                    ? unit.toMillis(Long.parseLong(t)) : TimestampUnit.INVALID;
            if (millis == TimestampUnit.INVALID) {
                out.problem(RejectReason.BAD_TIMESTAMP, "line " + number + ": timestamp '" + abbreviate(t)
                        + "' is not " + unit.expected() + " from 1970 on");
                return;
            }
            timestamp = millis;
            explicit = true;
        }
        for (int f = 0; f < fieldKeys.size(); f++) {
            offerField(measurement, fieldKeys.get(f), fieldTexts.get(f), number, timestamp, explicit, out);
        }
    }

    /** One field: a reading when numeric; strings ({@code "..."}) and booleans are skipped. */
    private void offerField(String measurement, String fieldKey, String text, int number, long timestamp,
                            boolean explicit, MappedReadings out) {
        if (text.startsWith("\"") || isBoolean(text)) {
            return;
        }
        double value;
        int n = text.length();
        char last = text.charAt(n - 1);
        if ((last == 'i' || last == 'u') && DecimalText.isInteger(text, 0, n - 1)) {
            value = DecimalText.parse(text.substring(0, n - 1));
        } else if (DecimalText.isDecimal(text, 0, n)) {
            value = DecimalText.parse(text);
        } else if (DecimalText.isNonFinite(text)) {
            value = Double.NaN;
        } else {
            out.problem(RejectReason.BAD_FIELD, "line " + number + ": field '" + fieldKey + "' is '" + abbreviate(text)
                    + "', not a number, boolean or string");
            return;
        }
        id.setLength(0);
        id.append(measurement);
        for (String tagValue : tagValues) {
            id.append('.').append(tagValue);
        }
        id.append('.').append(fieldKey);
        out.offer(id.toString(), value, timestamp, explicit);
    }

    private static boolean isBoolean(String text) {
        switch (text) {
            case "t": case "T": case "true": case "True": case "TRUE":
            case "f": case "F": case "false": case "False": case "FALSE":
                return true;
            default:
                return false;
        }
    }

    /** Keeps the tags in tag-key order, whatever order the line gives them in. */
    private void insertTag(String tagKey, String tagValue) {
        int i = tagKeys.size();
        while (i > 0 && tagKeys.get(i - 1).compareTo(tagKey) > 0) {
            i--;
        }
        tagKeys.add(i, tagKey);
        tagValues.add(i, tagValue);
    }

    /**
     * A measurement, tag key, tag value or field key, unescaped: it ends at an unescaped ',' or ' ' (or '=' unless
     * it is the measurement); a backslash escapes ',', '=', ' ' and itself.
     */
    private String readName(boolean measurement) {
        name.setLength(0);
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c == '\\' && pos + 1 < line.length()) {
                char next = line.charAt(pos + 1);
                if (next == ',' || next == '=' || next == ' ' || next == '\\') {
                    name.append(next);
                    pos += 2;
                    continue;
                }
            }
            if (c == ',' || c == ' ' || (c == '=' && !measurement)) {
                break;
            }
            name.append(c);
            pos++;
        }
        return name.toString();
    }

    /** A field's value as written: a quoted string (quotes kept, escapes read) or the text up to ',' or ' '. */
    private String readFieldValue() {
        int start = pos;
        if (pos < line.length() && line.charAt(pos) == '"') {
            pos++;
            while (pos < line.length() && line.charAt(pos) != '"') {
                pos += line.charAt(pos) == '\\' ? 2 : 1;
            }
            if (pos >= line.length()) {
                return null;
            }
            pos++;
            return line.substring(start, pos);
        }
        while (pos < line.length() && line.charAt(pos) != ',' && line.charAt(pos) != ' ') {
            pos++;
        }
        return pos == start ? null : line.substring(start, pos);
    }

    private boolean expect(char c) {
        if (pos < line.length() && line.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Skips one or more spaces; false when there were none or the line ends after them. */
    private boolean skipSpaces() {
        int start = pos;
        while (pos < line.length() && line.charAt(pos) == ' ') {
            pos++;
        }
        return pos > start && pos < line.length();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
