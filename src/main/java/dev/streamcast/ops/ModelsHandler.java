package dev.streamcast.ops;

import dev.streamcast.config.ForecastSettings;
import dev.streamcast.model.ModelCodec;
import dev.streamcast.model.ModelDocument;
import dev.streamcast.model.ModelFormatException;
import dev.streamcast.ops.ApiViews.ModelPage;
import dev.streamcast.ops.ApiViews.ModelPublished;
import dev.streamcast.ops.ApiViews.ModelView;
import dev.streamcast.ops.ApiViews.RetrainAccepted;
import dev.streamcast.ops.ApiViews.RunList;
import dev.streamcast.ops.ApiViews.TrainingRun;
import dev.streamcast.service.ModelPublication;
import dev.streamcast.service.StreamcastService;
import dev.streamcast.stream.ModelRegistry;
import dev.streamcast.stream.StreamNames;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/models}, {@code GET /api/models/runs}, {@code POST /api/models/{id}} (publish a model) and
 * {@code POST /api/models/{id}/retrain}. Every
 * instance knows every model (the models topic is a global store), but a training run is only known where it ran,
 * so runs are collected from every instance; a retraining request goes to the instance that holds the model's
 * training samples.
 */
final class ModelsHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsHandler.class);
    static final int RUNS_PER_MODEL = 20;
    static final int MAX_RUNS = 200;

    private final StreamcastService service;
    private final ForecastSettings settings;
    private final ModelRegistry registry;
    private final LocalSensorQueries sensors;
    private final PeerInstances peers;
    private final JsonResponses json;

    ModelsHandler(StreamcastService service, LocalSensorQueries sensors, PeerInstances peers, JsonResponses json) {
        this.service = service;
        this.settings = service.settings();
        this.registry = service.registry();
        this.sensors = sensors;
        this.peers = peers;
        this.json = json;
    }

    void list(Context ctx) {
        PageRequest request = PageRequest.from(ctx, false);
        RunList runs = allRuns();
        Map<String, ModelRegistry.Entry> models = registry.all();
        TreeSet<String> ids = new TreeSet<>(models.keySet());
        ids.add(settings.modelId());
        // A model whose first challenger lost to the naive forecast has runs but no version yet.
        runs.runs().forEach(run -> ids.add(run.modelId()));
        ids.removeIf(id -> !id.startsWith(request.prefix()));
        List<ModelView> page = new ArrayList<>();
        Set<String> requested = registry.retrainRequests();
        ids.stream().skip(request.offset()).limit(request.limit()).forEach(id -> page.add(view(id, models.get(id),
                requested.contains(id), runs.runs().stream().filter(r -> r.modelId().equals(id))
                        .limit(RUNS_PER_MODEL).toList())));
        json.send(ctx, 200, new ModelPage(request.prefix(), request.offset(), request.limit(), ids.size(), page,
                runs.unreachable()));
    }

    void runs(Context ctx) {
        json.send(ctx, 200, SensorsHandler.isLocalScope(ctx) ? new RunList(localRuns(), List.of()) : allRuns());
    }

    /**
     * Publishes the model document in the request's body as the next version of the model ({@link ModelPublication}):
     * 201 with the version, 400 for a document that is not a usable trained model, 409 for one that does not fit the
     * deployment (its id, input or window), 503 when Kafka does not take it.
     */
    void publish(Context ctx) {
        String id = modelId(ctx);
        ModelDocument doc;
        try {
            doc = ModelCodec.parse(ctx.bodyAsBytes());
        } catch (ModelFormatException e) {
            throw ApiException.badRequest("not a model document: " + e.getMessage());
        }
        ModelPublication.Published published;
        try {
            published = ModelPublication.publish(service.config().kafkaProperties(), settings, id, doc);
        } catch (ModelFormatException e) {
            throw ApiException.badRequest("not a usable trained model: " + e.getMessage());
        } catch (ModelPublication.Mismatch e) {
            throw new ApiException(409, e.getMessage());
        } catch (KafkaException e) {
            LOG.warn("model '{}' not published: {}", id, e.toString());
            throw ApiException.unavailable("Kafka did not take the model: " + e.getMessage());
        }
        LOG.info("model '{}' published through the API as version {}, without the retraining gate", id,
                published.version());
        json.send(ctx, 201, new ModelPublished(id, published.version(), published.parentVersion(),
                ModelPublication.DECISION, settings.topics().models()));
    }

    private static String modelId(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.isEmpty() || id.length() > SensorsHandler.MAX_ID_LENGTH) {
            throw ApiException.badRequest("a model id has 1 to " + SensorsHandler.MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    void retrain(Context ctx) {
        String id = modelId(ctx);
        boolean localScope = SensorsHandler.isLocalScope(ctx);
        if (!localScope && !isKnownModel(id)) {
            throw ApiException.notFound("no model '" + id + "'");
        }
        if (!localScope) {
            Optional<HostInfo> owner = peers.ownerElsewhere(StreamNames.BUFFER_STORE, id);
            if (owner.isPresent()) {
                PeerInstances.Answer answer = peers.post(owner.get(), "/api/models/" + PeerInstances.encode(id)
                        + "/retrain?scope=" + PeerInstances.LOCAL_SCOPE);
                json.sendRaw(ctx, answer.status(), answer.body());
                return;
            }
        }
        registry.requestRetrain(id);
        LOG.info("retraining of model '{}' requested through the API", id);
        json.send(ctx, 202, new RetrainAccepted(id, "requested", peers.selfName()));
    }

    /** A published model, the shared model id, or (per-sensor scope) a known sensor whose own model is due. */
    private boolean isKnownModel(String id) {
        if (registry.get(id) != null || id.equals(settings.modelId())) {
            return true;
        }
        if (!settings.perSensor()) {
            return false;
        }
        Optional<HostInfo> owner = peers.ownerElsewhere(StreamNames.SENSOR_STORE, id);
        if (owner.isPresent()) {
            return peers.get(owner.get(), "/api/sensors/" + PeerInstances.encode(id) + "?scope="
                    + PeerInstances.LOCAL_SCOPE).status() == 200;
        }
        return sensors.detail(id).isPresent();
    }

    private RunList allRuns() {
        List<TrainingRun> runs = new ArrayList<>(localRuns());
        List<String> unreachable = new ArrayList<>();
        if (service.streams() != null) {
            for (HostInfo host : peers.others(null)) {
                try {
                    PeerInstances.Answer answer =
                            peers.get(host, "/api/models/runs?scope=" + PeerInstances.LOCAL_SCOPE);
                    if (answer.status() != 200) {
                        throw new IOException("HTTP " + answer.status());
                    }
                    runs.addAll(json.read(answer.body(), RunList.class).runs());
                } catch (ApiException | IOException e) {
                    LOG.warn("no training runs from instance {}: {}", PeerInstances.name(host), e.getMessage());
                    unreachable.add(PeerInstances.name(host));
                }
            }
        }
        runs.sort(Comparator.comparing((TrainingRun r) -> Instant.parse(r.startedAt())).reversed());
        return new RunList(runs.size() > MAX_RUNS ? List.copyOf(runs.subList(0, MAX_RUNS)) : runs, unreachable);
    }

    private List<TrainingRun> localRuns() {
        return registry.runs().stream().map(TrainingRun::of).toList();
    }

    private static ModelView view(String id, ModelRegistry.Entry entry, boolean requested, List<TrainingRun> runs) {
        if (entry == null) {
            return new ModelView(id, 0, "naive", null, null, null, null, null, null, null, null, requested, runs);
        }
        ModelDocument.TrainingInfo t = entry.prototype().training();
        if (t == null) {
            return new ModelView(id, entry.version(), "lstm", entry.createdAt(), null, null, null, null, null, null,
                    null, requested, runs);
        }
        return new ModelView(id, entry.version(), "lstm", entry.createdAt(), t.samples(), t.epochs(),
                ApiViews.finite(t.validationRmse()), ApiViews.finite(t.championRmse()), ApiViews.finite(t.naiveRmse()),
                t.parentVersion(), t.decision(), requested, runs);
    }
}
