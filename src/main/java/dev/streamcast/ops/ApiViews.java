package dev.streamcast.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.model.SensorSeason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API. Numbers that can be undefined (an RMSE over no readings) are null rather than NaN,
 * which JSON cannot carry; times are ISO-8601 UTC. The same records read the answers of other instances.
 */
final class ApiViews {

    private ApiViews() {
    }

    /** RMSE and MAE over the same readings; null when there were none. */
    record Accuracy(Double rmse, Double mae) {
    }

    /** The model's errors next to the naive (last value) forecast's, over the same {@code readings}. */
    record Errors(long readings, Accuracy model, Accuracy naive) {
    }

    /**
     * The forecast of a sensor's next reading and its interval (at forecast.interval.level; null in a state stored
     * before intervals existed). {@code forecaster}: the forecaster whose value was published, "lstm" or "naive";
     * {@code naiveReason} (naive only): "no-model", "floor" (the per-sensor floor serves naive, the model having been
     * worse recently) or "non-finite"; {@code modelVersion}: the version in use for the model id, also under the floor.
     * {@code horizon} (GET /api/sensors/{id} only, left out of the list): the forecast.horizon steps of the forecast,
     * step 1 being this forecast.
     */
    record NextForecast(double value, Double lower, Double upper, String modelId, long modelVersion, String forecaster,
                        String naiveReason, @JsonInclude(JsonInclude.Include.NON_NULL) List<HorizonStep> horizon) {

        /** The same forecast with its horizon. */
        NextForecast withHorizon(List<HorizonStep> steps) {
            return new NextForecast(value, lower, upper, modelId, modelVersion, forecaster, naiveReason, steps);
        }
    }

    /**
     * Step {@code step} (from 1) of a forecast's horizon: the forecast of the reading expected at {@code timestamp}
     * (the last reading plus step times the sensor's usual interval) and its interval, wider the further ahead.
     */
    record HorizonStep(int step, String timestamp, double forecast, Double lower, Double upper) {
    }

    /** One line of GET /api/sensors. */
    record SensorSummary(String id, Double lastValue, String lastTimestamp, NextForecast forecast, Errors errors) {
    }

    /** GET /api/sensors: one page of sensors sorted by id; {@code unreachable}: instances that did not answer. */
    record SensorPage(String prefix, int offset, int limit, long total, List<SensorSummary> sensors,
                      List<String> unreachable) {
    }

    /** A reading in the sensor's current window. */
    record WindowReading(String timestamp, double value) {
    }

    /**
     * A reading with the forecast made for it, the naive forecast, the model version, the forecast's interval and
     * the reading's anomaly score and flag (null where the stored history predates intervals).
     */
    record ScoredReading(String timestamp, double actual, double forecast, double naive, double error,
                         double naiveError, long modelVersion, Double lower, Double upper, Double anomalyScore,
                         boolean anomaly) {
    }

    /**
     * GET /api/sensors/{id}: recent readings oldest first, the window the next forecast came from, the errors, the
     * share of the recent readings inside their forecast's interval ({@code coverage}), the recent readings
     * flagged as anomalies, and the step of the grid the sensor's readings lie on that the interval's bounds are
     * drawn in to ({@code resolution}; null while there is none: too few readings yet, or continuous values).
     */
    record SensorDetail(String id, Double lastValue, String lastTimestamp, NextForecast forecast,
                        List<WindowReading> window, List<ScoredReading> readings, Errors errors, Double coverage,
                        List<ScoredReading> anomalies, Double resolution, Season season) {
    }

    /**
     * A sensor's cadence and season (docs/design.md, Seasons): {@code cadence} an ISO-8601 duration ("PT30M", "P1M"
     * for calendar months; null while unknown), {@code regular} whether its timestamps keep to it; {@code cycle}
     * "day", "week" or "year" when a season is in use (else null), its {@code length} in readings, the profile's
     * {@code bins}, and its {@code strength}, 1 - the adjusted naive forecast's mean squared error over the raw one's.
     */
    record Season(String cadence, boolean regular, String cycle, Integer length, Integer bins, Double strength) {

        static Season of(SensorSeason season) {
            long cadence = season.cadenceMs();
            String text = cadence == SensorSeason.MONTHLY ? "P1M"
                    : cadence > 0 ? Duration.ofMillis(cadence).toString() : null;
            if (!season.hasSeason()) {
                return new Season(text, season.isRegular(), null, null, null, null);
            }
            return new Season(text, season.isRegular(), season.cycle().label(), season.seasonLength(),
                    season.seasonBins(), season.strength());
        }
    }

    /** One retraining: what it was trained and scored on, and what it decided. */
    record TrainingRun(String modelId, String outcome, String reason, String startedAt, long durationMs,
                       int trainingSamples, int holdoutSamples, int epochs, Double challengerRmse,
                       Double championRmse, Double naiveRmse, long championVersion, Long publishedVersion) {

        static TrainingRun of(ChallengerTrainer.Outcome o) {
            return new TrainingRun(o.modelId(), outcomeOf(o), o.reason(), time(o.startedAtMs()), o.durationMs(),
                    o.trainingSamples(), o.holdoutSamples(), o.epochs(), finite(o.challengerRmse()),
                    finite(o.championRmse()), finite(o.naiveRmse()), o.championVersion(),
                    o.accepted() && o.model() != null ? o.model().version() : null);
        }

        /** "accepted", "rejected", or "failed" (training threw before a decision). */
        static String outcomeOf(ChallengerTrainer.Outcome o) {
            if (o.accepted()) {
                return "accepted";
            }
            return o.reason() != null && o.reason().startsWith("failed") ? "failed" : "rejected";
        }
    }

    /**
     * A model id: its current version (0 and "naive" before the first), how that version was trained and scored
     * against the champion it replaced, and its recent training runs, newest first.
     */
    record ModelView(String modelId, long version, String forecaster, String createdAt, Long trainingSamples,
                     Integer epochs, Double validationRmse, Double championRmse, Double naiveRmse, Long parentVersion,
                     String decision, boolean retrainRequested, List<TrainingRun> runs) {
    }

    /** GET /api/models. */
    record ModelPage(String prefix, int offset, int limit, long total, List<ModelView> models,
                     List<String> unreachable) {
    }

    /** GET /api/models/runs: recent training runs of every model on every instance, newest first. */
    record RunList(List<TrainingRun> runs, List<String> unreachable) {
    }

    /** The answer to POST /api/models/{id}: the version the model was published as, after parentVersion (0: none). */
    record ModelPublished(String modelId, long version, long parentVersion, String decision, String topic) {
    }

    /** The answer to POST /api/models/{id}/retrain. */
    record RetrainAccepted(String modelId, String status, String instance) {
    }

    /**
     * The share of scored readings inside their forecast's interval: {@code covered} of {@code readings}
     * ({@code coverage} null while none), at {@code level}.
     */
    record Coverage(double level, long readings, long covered, Double coverage) {
    }

    /**
     * Readings, forecasts and errors summed over every instance: GET /api/stats. {@code naiveByReason}: naive
     * forecasts by reason (no-model, floor, non-finite); {@code anomalies}: readings flagged as anomalies.
     */
    record Stats(String time, int instances, String state, long accepted, long duplicates, long forecasts,
                 long naiveForecasts, Map<String, Long> naiveByReason, long windowRestarts, long refusedTotal,
                 Map<String, Long> refused, Errors errors, Coverage coverage, long anomalies,
                 List<String> unreachable) {
    }

    /** GET /health and GET /ready. */
    /** @param reason why not ready, when something other than the stream's state says so; else left out */
    record Health(String status, String state, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static Double finite(Double value) {
        return value == null ? null : finite(value.doubleValue());
    }

    static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
