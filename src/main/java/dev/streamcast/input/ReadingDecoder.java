package dev.streamcast.input;

import dev.streamcast.wire.RejectReason;

/**
 * How the per-sensor processor reads a record: {@link ReadingParser} reads the auto format from the readings topic;
 * {@link MappedReading.Decoder} reads the readings a mapped format's records were turned into, from the
 * repartition topic. The result methods describe the last {@link #parse}.
 */
public interface ReadingDecoder {

    /** Reads one record; true when it is a valid reading, false with {@link #reason()} and {@link #detail()} set. */
    boolean parse(byte[] key, byte[] value, long recordTimestamp);

    String sensorId();

    double value();

    long timestamp();

    /** Whether the reading gave its own timestamp; false: it has the record's. */
    boolean hasExplicitTimestamp();

    RejectReason reason();

    String detail();

    /** The bytes a refused record goes to the dead-letter topic with: the record's own, or a readable copy. */
    byte[] deadLetterValue(byte[] value);
}
