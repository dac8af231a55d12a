package dev.streamcast.bench.e2e;

import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.stream.StreamNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What every part of the end-to-end run starts from: the load, the embedded broker (its address and an admin
 * client on it) and the working directory. It gives each part the service's configuration, its topics and plain
 * clients, so that the parts differ only in what they measure.
 */
final class BenchmarkSetup {

    private static final String[] TOPIC_KEYS = {"topics.readings", "topics.forecasts", "topics.accuracy",
        "topics.samples", "topics.models", "topics.dlq", "topics.anomalies"};

    private final EndToEndSettings settings;
    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    /** Configuration keys set on top of the benchmark's own in every part (none in {@code bench e2e}). */
    private final Map<String, String> overrides;

    BenchmarkSetup(EndToEndSettings settings, String bootstrap, Admin admin, Path work) {
        this(settings, bootstrap, admin, work, Map.of());
    }

    BenchmarkSetup(EndToEndSettings settings, String bootstrap, Admin admin, Path work,
                   Map<String, String> overrides) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.work = work;
        this.overrides = Map.copyOf(overrides);
    }

    EndToEndSettings settings() {
        return settings;
    }

    Admin admin() {
        return admin;
    }

    /**
     * The service's configuration for one part of the run: its own application id and topics (so the parts do
     * not see each other's records or state), the guarantee, the initial model, and no automatic retraining.
     */
    StreamcastConfig serviceConfig(String run, String guarantee, Path model) {
        StreamcastConfig defaults = StreamcastConfig.defaults();
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", bootstrap);
        m.put("kafka.application.id", "streamcast-e2e-" + run);
        m.put("kafka.state.dir", work.resolve("state").toString());
        m.put("kafka.processing.guarantee", guarantee);
        for (String key : TOPIC_KEYS) {
            m.put(key, run + "-" + defaults.get(key));
        }
        m.put("topics.partitions", Integer.toString(settings.partitions()));
        m.put("model.initial", model == null ? "" : model.toString());
        m.put("retrain.every.samples", Integer.toString(Integer.MAX_VALUE));
        m.put("retrain.every", "36500d");
        m.put("retrain.buffer.size", Integer.toString(settings.retrainBufferSize()));
        m.put("retrain.min.samples", Integer.toString(Math.min(settings.retrainBufferSize(),
                defaults.getInt("retrain.min.samples", 2, Integer.MAX_VALUE))));
        m.put("retrain.epochs", Integer.toString(settings.retrainEpochs()));
        m.putAll(overrides);
        return StreamcastConfig.of(m);
    }

    /** The training client's consumer group, which reads the samples topic. */
    static String trainerGroup(StreamcastConfig config) {
        return config.get("kafka.application.id") + StreamNames.TRAINER_APPLICATION_SUFFIX;
    }

    /** What the benchmark's own clients (preload, producer, probe) need: the broker, nothing else. */
    Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    void createTopics(String... names) {
        List<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, settings.partitions(), (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the topics " + List.of(names) + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the topics " + List.of(names) + ": no answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics " + List.of(names), e);
        }
    }
}
