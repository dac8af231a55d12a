package dev.streamcast.ops;

import dev.streamcast.service.StreamcastService;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus registry behind {@code /metrics}: JVM and process meters, Kafka Streams' client metrics through
 * Micrometer's binder, and Streamcast's own. Each server has its own registry, so nothing is global.
 */
final class OpsMetrics implements AutoCloseable {

    private final StreamcastService service;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final StreamcastMeters streamcast;
    private KafkaStreams boundStreams;
    private KafkaStreamsMetrics kafkaStreamsMetrics;

    OpsMetrics(StreamcastService service) {
        this.service = service;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        streamcast = new StreamcastMeters(service);
        streamcast.bindTo(registry);
        bindKafkaStreams();
    }

    /** The Prometheus text exposition of every meter, brought up to date first. */
    synchronized String scrape() {
        bindKafkaStreams();
        streamcast.refresh();
        return registry.scrape();
    }

    /**
     * Kafka Streams exists once the service has started, which may be after this server: bind its metrics as
     * soon as it does (and again if the service made a new one).
     */
    private void bindKafkaStreams() {
        KafkaStreams streams = service.streams();
        if (streams == null || streams == boundStreams) {
            return;
        }
        if (kafkaStreamsMetrics != null) {
            kafkaStreamsMetrics.close();
        }
        kafkaStreamsMetrics = new KafkaStreamsMetrics(streams);
        kafkaStreamsMetrics.bindTo(registry);
        boundStreams = streams;
    }

    @Override
    public synchronized void close() {
        if (kafkaStreamsMetrics != null) {
            kafkaStreamsMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
