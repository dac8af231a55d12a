package dev.streamcast.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The samples' formats: 2 (one value per step) as before, 3 (F features per step), and what a reader refuses. */
@Tag("unit")
class SampleBatchTest {

    // Features.code() of value,season,day.sin (ids 1, 2, 3, the first lowest).
    private static final int WIDE_CODE = 0x321;

    @Test
    void aValueOnlyBatchIsFormat2ByteForByteAsBefore() {
        SampleBatch.Writer writer = new SampleBatch.Writer(3, 77L, 4);
        writer.add(new double[] {1, 2, 3}, 2.5, 0.5, 4);
        byte[] bytes = writer.drain();
        assertEquals(SampleBatch.HEADER_BYTES + 48, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(2, b.get(2));
        assertEquals(77L, b.getLong(3));
        assertEquals(3, b.getInt(11));
        assertEquals(1, b.getInt(15));
        assertEquals(1.0, b.getDouble(19));
        SampleBatch.Reader reader = new SampleBatch.Reader(3);
        assertTrue(reader.read(bytes), reader.problem());
        double[] window = new double[3];
        assertEquals(4.0, reader.sample(0, window));
        assertArrayEquals(new double[] {1, 2, 3}, window);
        assertEquals(2.5, reader.level(0));
        assertEquals(0.5, reader.stepRms(0));
    }

    @Test
    void aWideBatchCarriesItsFeaturesAndRoundTrips() {
        SampleBatch.Writer writer = new SampleBatch.Writer(2, WIDE_CODE, 3, 5L, 1);
        for (int i = 0; i < 10; i++) {
            writer.add(new double[] {i, 0.5, -1, i + 1, 0.25, 1}, 10 + i, 2, i + 2);
        }
        byte[] bytes = writer.drain();
        assertEquals(SampleBatch.FEATURES_HEADER_BYTES + 10 * 8 * (6 + 3), bytes.length);
        assertEquals(3, bytes[2]);
        SampleBatch.Reader reader = new SampleBatch.Reader(2, WIDE_CODE, 3, "value,season,day.sin");
        assertTrue(reader.read(bytes), reader.problem());
        assertEquals(10, reader.count());
        assertEquals(5L, reader.origin());
        double[] row = new double[6];
        assertEquals(9.0, reader.sample(7, row));
        assertArrayEquals(new double[] {7, 0.5, -1, 8, 0.25, 1}, row);
        assertEquals(17.0, reader.level(7));
        assertEquals(2.0, reader.stepRms(7));
        byte[] copy = new byte[SampleBatch.sampleBytes(6)];
        reader.copySample(7, copy, 0);
        assertEquals(7.0, ByteBuffer.wrap(copy).getDouble(0));
        assertTrue(writer.isEmpty());
    }

    @Test
    void samplesOfOtherFeaturesAreRefusedWithAReason() {
        SampleBatch.Writer old = new SampleBatch.Writer(3, 1L, 4);
        old.add(new double[] {1, 2, 3}, 2, 1, 4);
        byte[] format2 = old.drain();
        SampleBatch.Reader wide = new SampleBatch.Reader(3, WIDE_CODE, 3, "value,season,day.sin");
        assertFalse(wide.read(format2));
        assertEquals("format 2 carries the value alone at each step; model.features is value,season,day.sin",
                wide.problem());

        SampleBatch.Writer other = new SampleBatch.Writer(3, 0x21, 2, 1L, 4);
        other.add(new double[] {1, 0, 2, 0, 3, 0}, 2, 1, 4);
        byte[] format3 = other.drain();
        assertFalse(wide.read(format3));
        assertTrue(wide.problem().startsWith("its samples carry other features (code 21, 2 per step)"),
                wide.problem());
        SampleBatch.Reader valueOnly = new SampleBatch.Reader(3);
        assertFalse(valueOnly.read(format3));

        byte[] truncated = java.util.Arrays.copyOf(format3, format3.length - 8);
        SampleBatch.Reader matching = new SampleBatch.Reader(3, 0x21, 2, "value,season");
        assertTrue(matching.read(format3), matching.problem());
        assertFalse(matching.read(truncated));
        assertTrue(matching.problem().startsWith("truncated or padded"), matching.problem());
        assertFalse(matching.read(java.util.Arrays.copyOf(format3, SampleBatch.HEADER_BYTES + 2)));
    }
}
