package dev.streamcast.stream;

import dev.streamcast.wire.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler for every processor of Streamcast's topologies: a record a processor
 * failed on with an exception it did not foresee (a bug, a corrupt stored state) goes to the dead-letter topic with
 * its original key and bytes, the reason {@value #REASON}, the exception's class and message and where it came
 * from, and the stream goes on with the next record. Kafka Streams sends that record with the task's other output,
 * in its transaction under exactly-once. The failed record changes no sensor's state: ReadingProcessor writes a
 * sensor's state to its store as the last step of a reading (and forgets the half-updated copy it caches).
 *
 * <p>Each one is counted ({@link StreamMetrics#internalErrors}, {@code streamcast_internal_errors_total}); GET /ready
 * answers 503 while more than {@code ready.max-internal-errors-per-minute} happened in the last minute. The first
 * failure of each exception class is logged with its stack trace (what a bug report needs), the others in a line.
 */
public final class InternalErrorHandler implements ProcessingExceptionHandler {

    /** The value of the reason header. */
    public static final String REASON = "internal-error";
    /** The header with the exception's class name. */
    public static final String HEADER_EXCEPTION = "streamcast.error.exception";
    /** Where Kafka Streams' configuration carries the {@link StreamMetrics} to count in (an object, not a string). */
    static final String METRICS_CONFIG = "streamcast.internal.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(InternalErrorHandler.class);
    // The exception classes already logged with a stack trace, for the whole process.
    private static final Set<String> TRACED = ConcurrentHashMap.newKeySet();

    private StreamMetrics metrics = new StreamMetrics();
    private String deadLetterTopic;

    /** Gives the handler {@code metrics} to count in, through the Kafka Streams configuration {@code props}. */
    public static void countIn(Properties props, StreamMetrics metrics) {
        props.put(METRICS_CONFIG, metrics);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(METRICS_CONFIG) instanceof StreamMetrics given) {
            metrics = given;
        }
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null || topic.toString().isEmpty() ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        metrics.recordInternalError(System.currentTimeMillis());
        String where = context.topic() + "-" + context.partition() + "@" + context.offset();
        if (TRACED.add(exception.getClass().getName())) {
            LOG.error("internal error in processor '{}' on the record at {}; it goes to the dead-letter topic and the "
                    + "stream goes on", context.processorNodeId(), where, exception);
        } else {
            LOG.warn("internal error in processor '{}' on the record at {}: {}; it goes to the dead-letter topic",
                    context.processorNodeId(), where, exception.toString());
        }
        if (deadLetterTopic == null) {
            return Response.resume();
        }
        Headers headers = new RecordHeaders(context.headers().toArray());
        add(headers, DeadLetterHeaders.REASON, REASON);
        add(headers, HEADER_EXCEPTION, exception.getClass().getName());
        add(headers, DeadLetterHeaders.MESSAGE, String.valueOf(exception.getMessage()));
        add(headers, DeadLetterHeaders.TOPIC, context.topic());
        add(headers, DeadLetterHeaders.PARTITION, Integer.toString(context.partition()));
        add(headers, DeadLetterHeaders.OFFSET, Long.toString(context.offset()));
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(),
                context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }
}
