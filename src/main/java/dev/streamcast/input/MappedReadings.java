package dev.streamcast.input;

import dev.streamcast.wire.RejectReason;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The readings one record of a mapped format holds, and what of it could not be mapped: filled by a
 * {@link ReadingMapping}, reused record after record. Each reading offered is held to the rules every reading keeps
 * (an id of 1 to 256 characters, a finite value within input.max-abs-value); one that breaks one is a problem of the
 * record, and the others go on. The record goes to the dead-letter topic once when it has a problem: with the
 * first problem's reason and every problem's message.
 */
public final class MappedReadings {

    /** The longest message a dead-lettered record carries; further problems are counted, not listed. */
    static final int MAX_MESSAGE_LENGTH = 1000;

    private final double maxAbsValue;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    private String[] ids = new String[8];
    private double[] values = new double[8];
    private long[] timestamps = new long[8];
    private boolean[] explicit = new boolean[8];
    private int count;
    private RejectReason reason;
    private final StringBuilder problems = new StringBuilder();
    private int problemCount;
    private int unlisted;

    public MappedReadings(double maxAbsValue) {
        this.maxAbsValue = maxAbsValue;
    }

    /** Empties it for the next record. */
    void clear() {
        Arrays.fill(ids, 0, count, null);
        count = 0;
        reason = null;
        problems.setLength(0);
        problemCount = 0;
        unlisted = 0;
    }

    /**
     * A reading of the record, kept when it keeps the rules, otherwise a problem.
     *
     * @param timestamp         epoch milliseconds
     * @param explicitTimestamp whether the payload gave it (false: the record's timestamp)
     */
    void offer(String id, double value, long timestamp, boolean explicitTimestamp) {
        int length = id.codePointCount(0, id.length());
        if (length > ReadingParser.MAX_KEY_LENGTH) {
            problem(RejectReason.KEY_TOO_LONG, "the sensor id '" + id.substring(0, 32) + "...' has " + length
                    + " characters; at most " + ReadingParser.MAX_KEY_LENGTH + " are allowed");
            return;
        }
        if (!Double.isFinite(value)) {
            problem(RejectReason.NON_FINITE, id + ": " + value + " is not a finite number");
            return;
        }
        if (Math.abs(value) > maxAbsValue) {
            problem(RejectReason.OUT_OF_RANGE, id + ": |" + value + "| is over input.max-abs-value " + maxAbsValue);
            return;
        }
        if (count == ids.length) {
            int n = count * 2;
            ids = Arrays.copyOf(ids, n);
            values = Arrays.copyOf(values, n);
            timestamps = Arrays.copyOf(timestamps, n);
            explicit = Arrays.copyOf(explicit, n);
        }
        ids[count] = id;
        values[count] = value;
        timestamps[count] = timestamp;
        explicit[count] = explicitTimestamp;
        count++;
    }

    /** Something of the record that cannot be mapped; the first one's reason is the record's. */
    void problem(RejectReason why, String message) {
        if (reason == null) {
            reason = why;
        }
        problemCount++;
        if (problems.length() + message.length() > MAX_MESSAGE_LENGTH) {
            unlisted++;
            return;
        }
        if (problems.length() > 0) {
            problems.append("; ");
        }
        problems.append(message);
    }

    /**
     * The sensor id of a record key, or null with the problem recorded: the key rules of the auto format
     * (missing-key, bad-key, key-too-long).
     */
    String keyId(byte[] key) {
        if (key == null || key.length == 0) {
            problem(RejectReason.MISSING_KEY, "the record has no key (the sensor id)");
            return null;
        }
        if (key.length > ReadingParser.MAX_KEY_LENGTH * 4) {
            problem(RejectReason.KEY_TOO_LONG, "the key has " + key.length + " bytes; at most "
                    + ReadingParser.MAX_KEY_LENGTH + " characters are allowed");
            return null;
        }
        String id;
        try {
            id = Utf8Text.decode(key, utf8);
        } catch (CharacterCodingException e) {
            problem(RejectReason.BAD_KEY, "the key is not valid UTF-8");
            return null;
        }
        if (id.isBlank()) {
            problem(RejectReason.MISSING_KEY, "the key is blank");
            return null;
        }
        return id;
    }

    /**
     * The text of a line-based record's value (line protocol, CSV), or null with the problem recorded: an empty
     * value or one that is not UTF-8 is {@link RejectReason#MALFORMED_LINE}.
     */
    String lines(byte[] value) {
        if (value == null || value.length == 0) {
            problem(RejectReason.MALFORMED_LINE, "the value is empty");
            return null;
        }
        try {
            return Utf8Text.decode(value, utf8);
        } catch (CharacterCodingException e) {
            problem(RejectReason.MALFORMED_LINE, "the value is not valid UTF-8");
            return null;
        }
    }

    public int count() {
        return count;
    }

    public String id(int i) {
        return ids[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public boolean hasExplicitTimestamp(int i) {
        return explicit[i];
    }

    /** Whether the record goes to the dead-letter topic. */
    public boolean hasProblems() {
        return reason != null;
    }

    /** The first problem's reason; null when none. */
    public RejectReason reason() {
        return reason;
    }

    public int problemCount() {
        return problemCount;
    }

    /** Every problem's message, joined by "; " (those beyond {@value #MAX_MESSAGE_LENGTH} characters counted). */
    public String message() {
        return unlisted == 0 ? problems.toString() : problems + "; and " + unlisted + " more";
    }
}
