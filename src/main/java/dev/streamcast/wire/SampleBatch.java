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
 * 48 bytes per sample (window 3, with the sensor's level and step RMS; 8 more per feature and step beyond the value)
 * and one record per commit interval per task.
 *
 * <pre>
 *   offset 0  magic 'S' 'B'          (2 bytes)
 *          2  format 2 or 3          (1 byte)
 *          3  origin                 (8 bytes: the writing instance, see {@code StreamMetrics.origin()})
 *         11  window length w        (4 bytes)
 *   format 2 (one value per step, model.features value):
 *         15  sample count n         (4 bytes)
 *         19  n x (w values, the sensor's level and step RMS the window was forecast with, then the value that
 *              followed), doubles, big-endian
 *   format 3 (F features per step):
 *         15  features code          (4 bytes: which features, in which order; {@code Features.code()})
 *         19  features per step F    (4 bytes)
 *         23  sample count n         (4 bytes)
 *         27  n x (w x F raw features, step-major, then level, step RMS and the value that followed), doubles
 * </pre>
 *
 * <p>A value-only deployment writes format 2, which the versions before format 3 read too. A reader takes format 2
 * as value-only samples and refuses it (with a reason) when it expects more features per step. Format 1 (without
 * level and step RMS) is refused like any malformed batch.
 */
public final class SampleBatch {

    static final byte MAGIC_0 = 'S';
    static final byte MAGIC_1 = 'B';
    static final byte FORMAT = 2;
    static final byte FORMAT_FEATURES = 3;
    /** The header of format 2 (one value per step). */
    public static final int HEADER_BYTES = 2 + 1 + 8 + 4 + 4;
    /** The header of format 3 (features code and count added). */
    public static final int FEATURES_HEADER_BYTES = HEADER_BYTES + 4 + 4;
    /** A batch is sent once it reaches this size, whatever the time: records stay far below the topic's limit. */
    public static final int MAX_BYTES = 64 * 1024;

    private SampleBatch() {
    }

    /** Bytes of one sample of {@code rowSize} numbers (w x F): the row, level, step RMS and the value that followed. */
    public static int sampleBytes(int rowSize) {
        return 8 * (rowSize + 3);
    }

    /** The header's size for {@code featuresPerStep} numbers per step. */
    static int headerBytes(int featuresPerStep) {
        return featuresPerStep == 1 ? HEADER_BYTES : FEATURES_HEADER_BYTES;
    }

    /**
     * Accumulates samples into one reused buffer; {@link #drain()} returns the record's value and starts over. One
     * writer per model id per task. Adding a sample allocates nothing.
     */
    public static final class Writer {
        private final int windowLength;
        private final int featuresCode;
        private final int featuresPerStep;
        private final int rowSize;
        private final int header;
        private final int maxSamples;
        private final long origin;
        private ByteBuffer buffer;
        private int count;

        /** A writer of value-only samples (format 2). */
        public Writer(int windowLength, long origin, int initialSamples) {
            this(windowLength, 1, 1, origin, initialSamples);
        }

        /**
         * @param featuresCode    {@code Features.code()} of what each step carries
         * @param featuresPerStep F; 1 (the value alone) writes format 2
         * @param initialSamples  room for this many before growing (small for the many models of per-sensor scope)
         */
        public Writer(int windowLength, int featuresCode, int featuresPerStep, long origin, int initialSamples) {
            this.windowLength = windowLength;
            this.featuresCode = featuresCode;
            this.featuresPerStep = featuresPerStep;
            this.rowSize = windowLength * featuresPerStep;
            this.header = headerBytes(featuresPerStep);
            this.origin = origin;
            this.maxSamples = Math.max(1, (MAX_BYTES - header) / sampleBytes(rowSize));
            this.buffer = ByteBuffer.allocate(header
                    + sampleBytes(rowSize) * Math.max(1, Math.min(initialSamples, maxSamples)));
            buffer.position(header);
        }

        /** Adds the sample (row[0..w F) with its sensor's level and step RMS, then actual). */
        public void add(double[] row, double level, double stepRms, double actual) {
            if (buffer.remaining() < sampleBytes(rowSize)) {
                int samples = Math.min(maxSamples, 2 * Math.max(1, count));
                ByteBuffer larger = ByteBuffer.allocate(header + sampleBytes(rowSize) * samples);
                buffer.flip();
                larger.put(buffer);
                buffer = larger;
            }
            for (int k = 0; k < rowSize; k++) {
                buffer.putDouble(row[k]);
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
            buffer.put(0, MAGIC_0).put(1, MAGIC_1).putLong(3, origin).putInt(11, windowLength);
            if (featuresPerStep == 1) {
                buffer.put(2, FORMAT).putInt(15, count);
            } else {
                buffer.put(2, FORMAT_FEATURES).putInt(15, featuresCode).putInt(19, featuresPerStep).putInt(23, count);
            }
            byte[] value = new byte[length];
            buffer.get(0, value, 0, length);
            buffer.position(header);
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
        private final int featuresCode;
        private final int featuresPerStep;
        private final String featuresName;
        private final int rowSize;
        private int header;
        private ByteBuffer value;
        private int count;
        private long origin;
        private String problem;

        /** A reader of value-only samples. */
        public Reader(int windowLength) {
            this(windowLength, 1, 1, "value");
        }

        /**
         * @param featuresCode    {@code Features.code()} the samples must carry
         * @param featuresPerStep F
         * @param featuresName    the features as model.features names them, for the reasons
         */
        public Reader(int windowLength, int featuresCode, int featuresPerStep, String featuresName) {
            this.windowLength = windowLength;
            this.featuresCode = featuresCode;
            this.featuresPerStep = featuresPerStep;
            this.featuresName = featuresName;
            this.rowSize = windowLength * featuresPerStep;
        }

        /**
         * True when {@code bytes} is a well-formed batch of this window length and these features; else
         * {@link #problem()} says why.
         */
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
            int n;
            byte format = b.get(2);
            if (format == FORMAT) {
                if (featuresPerStep != 1) {
                    return refuse("format 2 carries the value alone at each step; model.features is " + featuresName);
                }
                header = HEADER_BYTES;
                n = b.getInt(15);
            } else if (format == FORMAT_FEATURES) {
                if (bytes.length < FEATURES_HEADER_BYTES) {
                    return refuse("shorter than a format 3 batch header (" + bytes.length + " bytes)");
                }
                int code = b.getInt(15);
                int perStep = b.getInt(19);
                if (code != featuresCode || perStep != featuresPerStep) {
                    return refuse("its samples carry other features (code " + Integer.toHexString(code) + ", "
                            + perStep + " per step) than model.features " + featuresName);
                }
                header = FEATURES_HEADER_BYTES;
                n = b.getInt(23);
            } else {
                return refuse("unknown sample batch format " + format);
            }
            int w = b.getInt(11);
            if (w != windowLength) {
                return refuse("window length " + w + ", expected " + windowLength);
            }
            long expected = header + (long) n * sampleBytes(rowSize);
            if (n < 0 || expected != bytes.length) {
                return refuse("truncated or padded: " + bytes.length + " bytes for " + n + " samples, expected "
                        + expected);
            }
            for (int i = header; i < bytes.length; i += 8) {
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
            System.arraycopy(value.array(), header + i * sampleBytes(rowSize), dst, offset, sampleBytes(rowSize));
        }

        /** Copies sample {@code i}'s row (w x F numbers) into {@code row} and returns the value that followed it. */
        public double sample(int i, double[] row) {
            int at = header + i * sampleBytes(rowSize);
            for (int k = 0; k < rowSize; k++) {
                row[k] = value.getDouble(at + 8 * k);
            }
            return value.getDouble(at + 8 * (rowSize + 2));
        }

        /** Sample {@code i}'s sensor level (when its window was forecast). */
        public double level(int i) {
            return value.getDouble(header + i * sampleBytes(rowSize) + 8 * rowSize);
        }

        /** Sample {@code i}'s sensor step RMS (when its window was forecast). */
        public double stepRms(int i) {
            return value.getDouble(header + i * sampleBytes(rowSize) + 8 * (rowSize + 1));
        }
    }
}
