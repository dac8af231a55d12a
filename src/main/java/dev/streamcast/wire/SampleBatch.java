package dev.streamcast.wire;

import java.nio.ByteBuffer;

/**
 * The wire format of the internal training-samples topic: one record carries a batch of training samples (a
 * window and the value that followed it), written by a reading task and read by the trainer. Internal: nothing
 * outside Streamcast reads this topic, and the format may change between versions (the {@link #FORMAT} byte says
 * which one a record is in).
 *
 * <p>Why binary batches, not one JSON record per sample: a reading's sample as JSON was larger than the reading,
 * and all samples of the shared model go to one partition that the trainer fetches with the same byte budget as each
 * readings partition, so under a backlog the trainer read a sixth of what the readings made. A batch of doubles is
 * 48 bytes per sample (window 3, with the sensor's level and step RMS) and one record per commit interval per task.
 *
 * <pre>
 *   offset 0  magic 'S' 'B'          (2 bytes)
 *          2  format 2               (1 byte)
 *          3  origin                 (8 bytes: the writing instance, see {@code StreamMetrics.origin()})
 *         11  window length w        (4 bytes)
 *         15  sample count n         (4 bytes)
 *         19  n x (w values, the sensor's level and step RMS the window was forecast with, then the value that
 *              followed), doubles, big-endian
 * </pre>
 *
 * <p>Format 1 (this session's first, without level and step RMS) is refused like any malformed batch.
 */
public final class SampleBatch {

    static final byte MAGIC_0 = 'S';
    static final byte MAGIC_1 = 'B';
    static final byte FORMAT = 2;
    public static final int HEADER_BYTES = 2 + 1 + 8 + 4 + 4;
    /** A batch is sent once it reaches this size, whatever the time: records stay far below the topic's limit. */
    public static final int MAX_BYTES = 64 * 1024;

    private SampleBatch() {
    }

    /** Bytes of one sample: the window, level, step RMS and the value that followed. */
    public static int sampleBytes(int windowLength) {
        return 8 * (windowLength + 3);
    }

    /**
     * Accumulates samples into one reused buffer; {@link #drain()} returns the record's value and starts over. One
     * writer per model id per task. Adding a sample allocates nothing.
     */
    public static final class Writer {
        private final int windowLength;
        private final int maxSamples;
        private final long origin;
        private ByteBuffer buffer;
        private int count;

        /** @param initialSamples room for this many before growing (small for the many models of per-sensor scope) */
        public Writer(int windowLength, long origin, int initialSamples) {
            this.windowLength = windowLength;
            this.origin = origin;
            this.maxSamples = Math.max(1, (MAX_BYTES - HEADER_BYTES) / sampleBytes(windowLength));
            this.buffer = ByteBuffer.allocate(HEADER_BYTES
                    + sampleBytes(windowLength) * Math.max(1, Math.min(initialSamples, maxSamples)));
            buffer.position(HEADER_BYTES);
        }

        /** Adds the sample (window[0..windowLength) with its sensor's level and step RMS, then actual). */
        public void add(double[] window, double level, double stepRms, double actual) {
            if (buffer.remaining() < sampleBytes(windowLength)) {
                int samples = Math.min(maxSamples, 2 * Math.max(1, count));
                ByteBuffer larger = ByteBuffer.allocate(HEADER_BYTES + sampleBytes(windowLength) * samples);
                buffer.flip();
                larger.put(buffer);
                buffer = larger;
            }
            for (int k = 0; k < windowLength; k++) {
                buffer.putDouble(window[k]);
            }
            buffer.putDouble(level).putDouble(stepRms).putDouble(actual);
            count++;
        }

        public int count() {
            return count;
        }

        public boolean isEmpty() {
            return count == 0;
        }

        /** Whether the batch has reached {@link #MAX_BYTES}: send it now. */
        public boolean isFull() {
            return count >= maxSamples;
        }

        /** The batch as a record value; the writer is empty afterwards. */
        public byte[] drain() {
            int length = buffer.position();
            buffer.put(0, MAGIC_0).put(1, MAGIC_1).put(2, FORMAT).putLong(3, origin).putInt(11, windowLength)
                    .putInt(15, count);
            byte[] value = new byte[length];
            buffer.get(0, value, 0, length);
            buffer.position(HEADER_BYTES);
            count = 0;
            return value;
        }
    }

    /**
     * Reads a batch. {@link #read} checks the whole record first, so a malformed or truncated batch is refused as a
     * whole (with a reason) and never half-applied.
     */
    public static final class Reader {
        private final int windowLength;
        private ByteBuffer value;
        private int count;
        private long origin;
        private String problem;

        public Reader(int windowLength) {
            this.windowLength = windowLength;
        }

        /** True when {@code bytes} is a well-formed batch of this window length; else {@link #problem()} says why. */
        public boolean read(byte[] bytes) {
            value = null;
            count = 0;
            if (bytes == null || bytes.length < HEADER_BYTES) {
                return refuse("shorter than a batch header (" + (bytes == null ? "null" : bytes.length + " bytes")
                        + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get(0) != MAGIC_0 || b.get(1) != MAGIC_1) {
                return refuse("not a sample batch (no 'SB' magic)");
            }
            if (b.get(2) != FORMAT) {
                return refuse("unknown sample batch format " + b.get(2));
            }
            int w = b.getInt(11);
            if (w != windowLength) {
                return refuse("window length " + w + ", expected " + windowLength);
            }
            int n = b.getInt(15);
            long expected = HEADER_BYTES + (long) n * sampleBytes(windowLength);
            if (n < 0 || expected != bytes.length) {
                return refuse("truncated or padded: " + bytes.length + " bytes for " + n + " samples, expected "
                        + expected);
            }
            for (int i = HEADER_BYTES; i < bytes.length; i += 8) {
                if (!Double.isFinite(b.getDouble(i))) {
                    return refuse("a non-finite value at byte " + i);
                }
            }
            origin = b.getLong(3);
            count = n;
            value = b;
            problem = null;
            return true;
        }

        private boolean refuse(String why) {
            problem = why;
            return false;
        }

        public String problem() {
            return problem;
        }

        public int count() {
            return count;
        }

        public long origin() {
            return origin;
        }

        /** Copies sample {@code i}'s bytes (as {@code ReplayBuffer} keeps them) to {@code dst} from {@code offset}. */
        public void copySample(int i, byte[] dst, int offset) {
            System.arraycopy(value.array(), HEADER_BYTES + i * sampleBytes(windowLength), dst, offset,
                    sampleBytes(windowLength));
        }

        /** Copies sample {@code i}'s window into {@code window} and returns the value that followed it. */
        public double sample(int i, double[] window) {
            int at = HEADER_BYTES + i * sampleBytes(windowLength);
            for (int k = 0; k < windowLength; k++) {
                window[k] = value.getDouble(at + 8 * k);
            }
            return value.getDouble(at + 8 * (windowLength + 2));
        }

        /** Sample {@code i}'s sensor level (when its window was forecast). */
        public double level(int i) {
            return value.getDouble(HEADER_BYTES + i * sampleBytes(windowLength) + 8 * windowLength);
        }

        /** Sample {@code i}'s sensor step RMS (when its window was forecast). */
        public double stepRms(int i) {
            return value.getDouble(HEADER_BYTES + i * sampleBytes(windowLength) + 8 * (windowLength + 1));
        }
    }
}
