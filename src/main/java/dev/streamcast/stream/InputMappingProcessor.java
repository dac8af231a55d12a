package dev.streamcast.stream;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.input.InputFormats;
import dev.streamcast.input.MappedReading;
import dev.streamcast.input.MappedReadings;
import dev.streamcast.input.ReadingMapping;
import dev.streamcast.wire.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The mapped formats' first step: each record of the readings topic becomes its readings, keyed by sensor id for the
 * repartition that brings each sensor to one task ({@link MappedReading}); a record with a part that cannot be mapped
 * goes to the dead-letter topic once, with its original key and bytes, the first problem's reason and every
 * problem's message, and how many of its readings went on.
 */
final class InputMappingProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    /** The header of a dead-lettered mapped record: how many of its readings were mapped and went on. */
    static final String HEADER_MAPPED = "streamcast.mapped.readings";

    private final ReadingMapping mapping;
    private final MappedReadings readings;
    private final StreamMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;

    InputMappingProcessor(ForecastSettings settings, StreamMetrics metrics) {
        this.mapping = InputFormats.mapping(settings.input());
        this.readings = new MappedReadings(settings.maxAbsValue());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        mapping.map(record.key(), record.value(), record.timestamp(), readings);
        for (int i = 0; i < readings.count(); i++) {
            // No headers: they would cross the repartition topic with every reading.
            context.forward(new Record<>(readings.id(i).getBytes(StandardCharsets.UTF_8),
                    MappedReading.encode(readings.value(i), readings.timestamp(i), readings.hasExplicitTimestamp(i)),
                    record.timestamp()), StreamNames.MAPPED_READINGS);
        }
        if (readings.hasProblems()) {
            deadLetter(record);
        }
    }

    /** The original key and bytes to the dead-letter topic, with the headers the per-sensor processor writes. */
    private void deadLetter(Record<byte[], byte[]> record) {
        metrics.recordRefused(readings.reason());
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.REASON, readings.reason().code().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.MESSAGE, readings.message().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_MAPPED, Integer.toString(readings.count()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null) {
            headers.add(DeadLetterHeaders.TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION,
                    Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.OFFSET,
                    Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
        }
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
                StreamNames.MAPPING_DLQ_SINK);
    }
}
