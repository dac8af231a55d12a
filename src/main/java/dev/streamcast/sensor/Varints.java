package dev.streamcast.sensor;

import java.nio.ByteBuffer;

/**
 * Variable-length integers of the stored sensor state ({@link SensorStateCodec}, format 10), the encoding of
 * Protocol Buffers' sint64 and of Kafka's record fields: zigzag, so that small negative numbers are small too,
 * <pre>
 *   z = (n &lt;&lt; 1) ^ (n &gt;&gt; 63)
 * </pre>
 * then 7 bits a byte, least significant first, the high bit set on every byte but the last. A number below 64 in
 * magnitude takes one byte, a timestamp's step of a minute three. (Kafka's own helper is internal to its clients.)
 */
final class Varints {

    private Varints() {
    }

    /** Writes {@code n} (an int is written as the long it is). */
    static void write(long n, ByteBuffer buffer) {
        long z = (n << 1) ^ (n >> 63);
        while ((z & ~0x7FL) != 0) {
            buffer.put((byte) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        buffer.put((byte) z);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IllegalStateException for more than 10 bytes, which no long takes
     */
    static long read(ByteBuffer buffer) {
        long z = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get();
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw new IllegalStateException("a stored number longer than 10 bytes");
    }

    /** Reads an int that {@link #write} wrote. */
    static int readInt(ByteBuffer buffer) {
        return (int) read(buffer);
    }
}
