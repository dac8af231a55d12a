package dev.streamcast.input;


/**
 * One mapped input format ({@code input.format} json, influx or csv): the readings of a record of the readings topic,
 * each with its sensor id from the payload (or the key), its value and its timestamp. One mapping serves one
 * thread.
 */
public interface ReadingMapping {

    /**
     * Maps one record into {@code out}, which it clears first: the readings that keep the rules, and a problem for
     * each part that cannot be mapped (so one bad field of several loses none of the others).
     *
     * @param recordTimestamp the record's timestamp: the readings' when the payload gives none
     */
    void map(byte[] key, byte[] value, long recordTimestamp, MappedReadings out);
}
