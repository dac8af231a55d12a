package dev.streamcast.input;

import dev.streamcast.wire.RejectReason;
import java.nio.charset.StandardCharsets;

/**
 * A reading of a mapped format as it crosses the repartition topic (internal: it may change between versions), from
 * the input mapping to the per-sensor processor. The key is the sensor id in UTF-8, which the repartition
 * partitions by; the value is {@value #SIZE} bytes, big-endian:
 * <pre>
 *   byte  0       format, 1
 *   byte  1       flags: bit 0 set when the payload gave the timestamp (clear: it is the record's)
 *   bytes 2-9     the value, an IEEE 754 double
 *   bytes 10-17   the timestamp, epoch milliseconds
 * </pre>
 * Binary rather than JSON: it is written and read once per reading, and the repartition topic's bytes are
 * the mapped formats' cost (docs/connecting.md measures them).
 */
public final class MappedReading {

    static final byte FORMAT = 1;
    public static final int SIZE = 18;
    private static final int EXPLICIT_TIMESTAMP = 1;

    private MappedReading() {
    }

    /** The value of a reading's repartition record. */
    public static byte[] encode(double value, long timestamp, boolean explicitTimestamp) {
        byte[] bytes = new byte[SIZE];
        bytes[0] = FORMAT;
        bytes[1] = (byte) (explicitTimestamp ? EXPLICIT_TIMESTAMP : 0);
        putLong(bytes, 2, Double.doubleToRawLongBits(value));
        putLong(bytes, 10, timestamp);
        return bytes;
    }

    private static void putLong(byte[] bytes, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            bytes[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] bytes, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v;
    }

    /**
     * Reads a repartition record; the mapping checked the reading already, so anything else is not a record of
     * this topic, and an exception (which Kafka Streams' processing exception handler dead-letters).
     */
    public static final class Decoder implements ReadingDecoder {

        private String sensorId;
        private double value;
        private long timestamp;
        private boolean explicitTimestamp;

        @Override
        public boolean parse(byte[] key, byte[] bytes, long recordTimestamp) {
            if (key == null || bytes == null || bytes.length != SIZE || bytes[0] != FORMAT) {
                throw new IllegalStateException("not a mapped reading of format " + FORMAT + " ("
                        + (bytes == null ? "no value" : bytes.length + " bytes") + "): was the repartition topic "
                        + "written by another version?");
            }
            sensorId = new String(key, StandardCharsets.UTF_8);
            explicitTimestamp = (bytes[1] & EXPLICIT_TIMESTAMP) != 0;
            value = Double.longBitsToDouble(getLong(bytes, 2));
            timestamp = getLong(bytes, 10);
            return true;
        }

        @Override
        public String sensorId() {
            return sensorId;
        }

        @Override
        public double value() {
            return value;
        }

        @Override
        public long timestamp() {
            return timestamp;
        }

        @Override
        public boolean hasExplicitTimestamp() {
            return explicitTimestamp;
        }

        @Override
        public RejectReason reason() {
            return null;
        }

        @Override
        public String detail() {
            return null;
        }

        /** A refused (late, future) mapped reading is dead-lettered readable: the auto format's JSON. */
        @Override
        public byte[] deadLetterValue(byte[] bytes) {
            return ReadingParser.toJson(Double.longBitsToDouble(getLong(bytes, 2)), getLong(bytes, 10));
        }
    }
}
