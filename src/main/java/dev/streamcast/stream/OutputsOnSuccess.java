package dev.streamcast.stream;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs a processor so that a record it fails on forwards nothing: what it forwards while processing a record is held
 * and passed on once {@code process} returns, and dropped when it throws. The record then reaches the dead-letter
 * topic alone ({@link InternalErrorHandler}), not beside the accuracy record the processor had already sent for it,
 * which a verifier counting every reading once would see twice. Forwards outside {@code process} (punctuations) pass
 * straight through.
 *
 * <p>The held records are the processor's own objects: it must not change a forwarded record's key or value
 * arrays later in the same {@code process} call (Streamcast's processors write each message to an array of its own).
 * The holding lists are reused, so the per-record path allocates nothing here.
 */
final class OutputsOnSuccess<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {

    private final Processor<KIn, VIn, KOut, VOut> processor;
    private HeldContext<KOut, VOut> context;

    OutputsOnSuccess(Processor<KIn, VIn, KOut, VOut> processor) {
        this.processor = processor;
    }

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
        this.context = new HeldContext<>(context);
        processor.init(this.context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
        context.holding = true;
        try {
            processor.process(record);
        } catch (RuntimeException e) {
            context.drop();
            throw e;
        } finally {
            context.holding = false;
        }
        context.release();
    }

    @Override
    public void close() {
        processor.close();
    }

    /** The task's context, holding forwards while {@link #holding}. */
    private static final class HeldContext<K, V> implements ProcessorContext<K, V> {

        private final ProcessorContext<K, V> delegate;
        private final List<Record<? extends K, ? extends V>> records = new ArrayList<>();
        // The child each held record goes to; null: every child.
        private final List<String> children = new ArrayList<>();
        boolean holding;

        HeldContext(ProcessorContext<K, V> delegate) {
            this.delegate = delegate;
        }

        void release() {
            for (int i = 0; i < records.size(); i++) {
                if (children.get(i) == null) {
                    delegate.forward(records.get(i));
                } else {
                    delegate.forward(records.get(i), children.get(i));
                }
            }
            drop();
        }

        void drop() {
            records.clear();
            children.clear();
        }

        @Override
        public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
            if (holding) {
                records.add(record);
                children.add(null);
            } else {
                delegate.forward(record);
            }
        }

        @Override
        public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
            if (holding) {
                records.add(record);
                children.add(childName);
            } else {
                delegate.forward(record, childName);
            }
        }

        @Override
        public String applicationId() {
            return delegate.applicationId();
        }

        @Override
        public TaskId taskId() {
            return delegate.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return delegate.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return delegate.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return delegate.valueSerde();
        }

        @Override
        public File stateDir() {
            return delegate.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return delegate.metrics();
        }

        @Override
        public <S extends StateStore> S getStateStore(String name) {
            return delegate.getStateStore(name);
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            return delegate.schedule(interval, type, callback);
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type,
                                    Punctuator callback) {
            return delegate.schedule(startTime, interval, type, callback);
        }

        @Override
        public void commit() {
            delegate.commit();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return delegate.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return delegate.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return delegate.currentSystemTimeMs();
        }

        @Override
        public long currentStreamTimeMs() {
            return delegate.currentStreamTimeMs();
        }
    }
}
