package dev.streamcast.input;

import dev.streamcast.config.InputMapping;

/**
 * The reader of each {@code input.format}: apart from the {@link ReadingDecoder} and {@link ReadingMapping}
 * interfaces, so that the interfaces do not name their implementations (which implement them).
 */
public final class InputFormats {

    private InputFormats() {
    }

    /** The decoder of the readings the per-sensor processor receives under {@code input}. */
    public static ReadingDecoder decoder(InputMapping input, double maxAbsValue) {
        return input.isMapped() ? new MappedReading.Decoder() : new ReadingParser(maxAbsValue);
    }

    /** The mapping of a mapped format; the auto format has none (ReadingParser reads it). */
    public static ReadingMapping mapping(InputMapping input) {
        switch (input.format()) {
            case JSON:
                return new JsonReadingMapping(input);
            case INFLUX:
                return new InfluxReadingMapping(input.timestampUnit());
            case CSV:
                return new CsvReadingMapping(input.csvColumns(), input.timestampUnit());
            default:
                throw new IllegalArgumentException("input.format=auto has no mapping: ReadingParser reads it");
        }
    }
}
