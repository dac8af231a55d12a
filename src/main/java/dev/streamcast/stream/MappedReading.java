package dev.streamcast.stream;

import java.nio.ByteBuffer;
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
        return ByteBuffer.allocate(SIZE).put(FORMAT).put((byte) (explicitTimestamp ? EXPLICIT_TIMESTAMP : 0))
                .putDouble(value).putLong(timestamp).array();
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
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            sensorId = new String(key, StandardCharsets.UTF_8);
            explicitTimestamp = (bytes[1] & EXPLICIT_TIMESTAMP) != 0;
            value = buffer.getDouble(2);
            timestamp = buffer.getLong(10);
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
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return ReadingParser.toJson(buffer.getDouble(2), buffer.getLong(10));
        }
    }
}
