package dev.streamcast.service;

import dev.streamcast.config.ConfigException;
import dev.streamcast.config.ForecastSettings;
import dev.streamcast.config.KafkaSettingsValidator;
import dev.streamcast.config.StreamcastConfig;
import dev.streamcast.logging.QuietLogger;
import dev.streamcast.model.Forecaster;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.stream.InternalErrorHandler;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamMetrics;
import dev.streamcast.stream.StreamcastTopology;
import dev.streamcast.stream.TrainingWarmup;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecasting service: creates the topics, publishes the initial model when asked to, and runs two Kafka
 * Streams clients until closed: the forecasting client (readings in, forecasts out) and the training client (the
 * trainer, application id + "-trainer"; {@link StreamcastTopology} says why it has its own). Retraining itself runs
 * on one background thread of its own.
 */
public final class StreamcastService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamcastService.class);
    /** The admin client's loggers held off during the pre-flight (docs/developing.md, Logging). */
    static final String NETWORK_CLIENT_LOGGER = "org.apache.kafka.clients.NetworkClient";
    static final String ADMIN_METADATA_LOGGER = "org.apache.kafka.clients.admin.internals.AdminMetadataManager";

    private final StreamcastConfig config;
    private final ForecastSettings settings;
    private final ModelRegistry registry = new ModelRegistry();
    private final StreamMetrics metrics = new StreamMetrics();
    private final ExecutorService trainer;
    private final CompletableFuture<ConfigException> fatalStop = new CompletableFuture<>();
    private KafkaStreams streams;
    // Set by close: the forecasting warm-up, on the starting thread, stops early.
    private volatile boolean closing;
    // Counted down when the forecasting warm-up has ended and deleted its state directory: close waits for it, so
    // nothing of the service writes under kafka.state.dir once close returns.
    private final CountDownLatch warmUpEnded = new CountDownLatch(1);
    private volatile boolean started;
    private KafkaStreams trainerStreams;

    public StreamcastService(StreamcastConfig config) {
        if (!config.hasBootstrapServers()) {
            throw new ConfigException("kafka.bootstrap.servers: not set");
        }
        this.config = config;
        this.settings = check(config);
        this.trainer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamcast-trainer");
            thread.setDaemon(true);
            // Training yields to the stream threads: record processing never waits for it.
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        });
    }

    /**
     * Reads and checks every key the service uses, the kafka.* ones included, without connecting to anything, so a
     * command can refuse a wrong value before it starts a broker or creates a directory.
     *
     * @return the topology's settings
     * @throws ConfigException naming the first key whose value cannot be used
     */
    public static ForecastSettings check(StreamcastConfig config) {
        ForecastSettings settings = ForecastSettings.from(config);
        config.getInt("topics.partitions", 1, 10_000);
        config.getInt("topics.replication-factor", -1, Short.MAX_VALUE);
        InitialModel.read(config, settings);
        KafkaSettingsValidator.validate(StreamsProperties.forecasting(config, settings));
        return settings;
    }

    /** What Kafka Streams receives: the kafka.* keys, Streamcast's defaults, and the dead-letter topic. */
    public Properties streamsProperties() {
        return StreamsProperties.forecasting(config, settings);
    }

    /** Creates missing topics, publishes model.initial if the models topic has no model yet, starts the stream. */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("the service is already started");
        }
        // Built first: the access check asks the topologies which topics they read and write.
        Topology forecastingTopology = StreamcastTopology.forecasting(settings, registry, metrics);
        Topology trainingTopology = StreamcastTopology.training(settings, registry, metrics, trainer);
        Properties clientProps = config.kafkaProperties();
        // Every way the pre-flight can fail (credentials refused, an ACL missing, Kafka not answering) ends the start
        // with Streamcast's own one line naming the setting to fix; the admin client's network and metadata loggers
        // would say the same first, at ERROR and with a stack trace, so they are off for these few seconds.
        try (QuietLogger network = QuietLogger.silentWhileOpen(NETWORK_CLIENT_LOGGER);
             QuietLogger metadata = QuietLogger.silentWhileOpen(ADMIN_METADATA_LOGGER);
             Admin admin = Admin.create(clientProps)) {
            String bootstrap = config.get("kafka.bootstrap.servers");
            TopicCreator.createMissing(admin, bootstrap, settings.topics(),
                    config.getInt("topics.partitions", 1, 10_000),
                    (short) config.getInt("topics.replication-factor", -1, Short.MAX_VALUE),
                    StreamsProperties.minInsyncReplicas(config));
            TopicAccessCheck.check(admin, bootstrap,
                    streamsProperties().getProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG),
                    forecastingTopology, trainingTopology);
        }
        Forecaster initial = InitialModel.read(config, settings);
        if (initial != null) {
            publishInitialModel(initial);
        }
        Properties forecastingProps = streamsProperties();
        InternalErrorHandler.countIn(forecastingProps, metrics);
        Properties trainingProps = trainerStreamsProperties();
        InternalErrorHandler.countIn(trainingProps, metrics);
        try {
            streams = new KafkaStreams(forecastingTopology, forecastingProps);
            trainerStreams = new KafkaStreams(trainingTopology, trainingProps);
        } catch (RuntimeException e) {
            // Kafka Streams writes its process metadata into the state directory here: a full disk fails at once.
            throw fullStateDiskOr(e);
        }
        // The registry is marked loaded when the forecasting client's start() returns (startAfterTrainer).
        watch(streams, "forecasting", now -> { });
        LOG.info("starting Streamcast: readings from '{}', forecasts to '{}', model scope {}",
                settings.topics().readings(), settings.topics().forecasts(), settings.perSensor() ? "per-sensor"
                        : "global");
        // The trainer first: the forecasting client starts once the training client runs (or after
        // TRAINER_START_WAIT), so the samples of a backlog are read as they are made. Started together, the
        // forecasting client ran for a second or more while the trainer was still joining its group, and the first
        // retraining came 30,000 samples after its due point in bench e2e's pace drain.
        // Until the forecasting client has read the models topic into its global store, the trainer does not train.
        registry.markLoading();
        CountDownLatch trainerRunning = new CountDownLatch(1);
        watch(trainerStreams, "training", now -> {
            // Running, or never going to: the forecasting client waits no longer.
            if (now == KafkaStreams.State.RUNNING || !now.isRunningOrRebalancing()) {
                trainerRunning.countDown();
            }
        });
        // Queued first on the training thread: the JIT compiles the training path while the clients start.
        trainer.execute(() -> {
            try {
                TrainingWarmup.run(settings);
            } catch (RuntimeException e) {
                LOG.warn("the training warm-up failed (the first retraining will be slower): {}", e.toString());
            }
        });
        try {
            trainerStreams.start();
        } catch (RuntimeException e) {
            // A restart on a full disk fails here, opening the stores of the tasks the state directory holds.
            throw fullStateDiskOr(e);
        }
        KafkaStreams forecasting = streams;
        Forecaster warmupModel = initial != null ? initial : ModelCodec.toForecaster(settings.architecture(),
                settings.retrain().options().seed());
        Thread starter = new Thread(() -> {
            try {
                warmUp(warmupModel, trainerRunning);
            } finally {
                warmUpEnded.countDown();
            }
            startAfterTrainer(forecasting, trainerRunning);
        }, "streamcast-start");
        starter.setDaemon(true);
        started = true;
        starter.start();
    }

    /**
     * The forecasting path's warm-up ({@link ForecastingWarmup}), while the training client joins its group: it stops
     * when that client runs, so the forecasting client starts no later than it would have.
     */
    private void warmUp(Forecaster model, CountDownLatch trainerRunning) {
        try {
            ForecastingWarmup.run(config, settings, model, () -> trainerRunning.getCount() == 0 || closing);
        } catch (RuntimeException e) {
            LOG.warn("the forecasting warm-up failed (the first readings will be slower): {}", e.toString());
        }
    }

    /** How long the forecasting client waits for the training client to run before it starts anyway. */
    static final Duration TRAINER_START_WAIT = Duration.ofSeconds(30);

    private void startAfterTrainer(KafkaStreams forecasting, CountDownLatch trainerRunning) {
        try {
            if (!trainerRunning.await(TRAINER_START_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the training client is not running after {} s; starting the forecasting client anyway",
                        TRAINER_START_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            // Not if the service was closed meanwhile (a closed client cannot start).
            if (streams == forecasting) {
                try {
                    forecasting.start();
                } catch (RuntimeException e) {
                    // On this thread nobody would hear of it: the service stops, and the command line says why.
                    StateDirectoryFullException full = fullStateDisk(e);
                    if (full == null) {
                        throw e;
                    }
                    fatalStop.complete(full);
                    return;
                }
                // KafkaStreams.start returns once its global thread has restored the models topic into the global
                // store (GlobalStreamThread.start waits for that), before any stream thread processes: the registry
                // knows every model, and the trainer may train from the first samples on. Waiting for RUNNING
                // instead let the forecasting client process several thousand readings of a backlog first.
                registry.markLoaded();
            }
        }
    }

    /** Logs the client's state changes and hands each new state to {@code onState}; replaces failed threads. */
    private void watch(KafkaStreams client, String name, Consumer<KafkaStreams.State> onState) {
        client.setStateListener((now, before) -> {
            LOG.info("Kafka Streams ({}): {} -> {}", name, before, now);
            onState.accept(now);
        });
        client.setUncaughtExceptionHandler(e -> {
            RuntimeException denial = KafkaAccessException.accessDenial(e);
            if (denial != null) {
                // A replaced thread would be refused again, forever: stop, and let the command line say why.
                // Not logged: the command line prints it as its one line (a log line would repeat it).
                KafkaAccessException failure = KafkaAccessException.of("the stream stopped (its " + name + " client)",
                        config.get("kafka.bootstrap.servers"), denial);
                fatalStop.complete(failure);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            StateDirectoryFullException full = fullStateDisk(e);
            if (full != null) {
                // The same: a replaced thread fails again at its first commit. Stop, the command line says why.
                fatalStop.complete(full);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("a {} stream thread failed; replacing it", name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** {@code failure} as the one-line error of a full kafka.state.dir when a full disk caused it, else null. */
    private StateDirectoryFullException fullStateDisk(Throwable failure) {
        return StateDirectoryFullException.of(failure, config.get("kafka.state.dir"));
    }

    /** {@code failure}, or the one-line error of a full kafka.state.dir when a full disk caused it. */
    private RuntimeException fullStateDiskOr(RuntimeException failure) {
        StateDirectoryFullException full = fullStateDisk(failure);
        return full != null ? full : failure;
    }

    /**
     * The training client's properties: the service's, under the application id + "-trainer" (a client with another
     * topology must be another group) and with one stream thread (it only files batches; training runs on the
     * trainer thread).
     */
    public Properties trainerStreamsProperties() {
        return StreamsProperties.training(streamsProperties());
    }

    /**
     * Publishes model.initial ({@link InitialModel}) as the first version of model.id, unless the models topic
     * already holds a version of it (a restart must not push an older model over a newer one).
     */
    private void publishInitialModel(Forecaster initial) {
        long current = ModelTopicReader.latestVersion(config.kafkaProperties(), settings.topics().models(),
                settings.modelId());
        if (current > 0) {
            LOG.info("model.initial not published: the models topic already holds version {} of '{}'", current,
                    settings.modelId());
            return;
        }
        Forecaster first = InitialModel.firstVersion(initial, settings, Instant.now().toString());
        Properties props = config.kafkaProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                StreamsProperties.atLeastModelRecord(props.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(settings.topics().models(), settings.modelId(),
                    ModelCodec.encode(first))).get(30, TimeUnit.SECONDS);
            LOG.info("published {} as version {} of model '{}'", config.get("model.initial"), first.version(),
                    settings.modelId());
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish model.initial to " + settings.topics().models() + ": "
                    + e, e);
        }
    }

    /**
     * Completes when the stream stopped for good while running, for what the user must fix: Kafka refused its
     * clients (credentials, ACLs; {@link KafkaAccessException}) or the state directory's disk is full
     * ({@link StateDirectoryFullException}). {@code run} reports it as one line.
     */
    public CompletableFuture<ConfigException> fatalStop() {
        return fatalStop;
    }

    /** The forecasting client: the readings path, its state stores and the models' global store. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The training client: the trainer and its replay buffer. */
    public KafkaStreams trainerStreams() {
        return trainerStreams;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public StreamMetrics metrics() {
        return metrics;
    }

    public ForecastSettings settings() {
        return settings;
    }

    public StreamcastConfig config() {
        return config;
    }

    /** Whether both Kafka Streams clients are running (the forecasting client's stores can be queried). */
    public boolean isRunning() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING
                && trainerStreams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (started) {
            // The warm-up sees `closing` within a thousand readings (milliseconds); it takes no lock of this.
            awaitWarmUpEnd();
        }
        if (streams != null) {
            LOG.info("stopping Streamcast");
            // Leave the group on a clean stop, so another instance takes the partitions over at once instead of
            // after the session timeout.
            CloseOptions leave = CloseOptions
                    .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30));
            streams.close(leave);
            trainerStreams.close(leave);
            streams = null;
            trainerStreams = null;
        }
        trainer.shutdownNow();
    }

    private void awaitWarmUpEnd() {
        try {
            if (!warmUpEnded.await(WARM_UP_END_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the forecasting warm-up has not ended after {} s; closing anyway",
                        WARM_UP_END_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Duration WARM_UP_END_WAIT = Duration.ofSeconds(10);
}
