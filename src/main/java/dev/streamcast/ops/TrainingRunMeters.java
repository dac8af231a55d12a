package dev.streamcast.ops;

import dev.streamcast.model.ChallengerTrainer;
import dev.streamcast.stream.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts training runs by outcome and times them. The registry keeps the recent runs, newest first; each refresh
 * counts those newer than the newest one counted before (recognised by identity, since two runs can be equal in
 * value). Refreshed at every scrape, it misses runs only if more than the registry keeps happen between two.
 */
final class TrainingRunMeters {

    private static final List<String> OUTCOMES = List.of("accepted", "rejected", "failed");

    private final ModelRegistry registry;
    private final Map<String, Counter> runs = new HashMap<>();
    private final Map<String, Timer> durations = new HashMap<>();
    private ChallengerTrainer.Outcome newestCounted;

    TrainingRunMeters(ModelRegistry registry) {
        this.registry = registry;
    }

    void bindTo(MeterRegistry meters) {
        for (String outcome : OUTCOMES) {
            runs.put(outcome, Counter.builder("streamcast.training.runs")
                    .description("Retrainings finished on this instance, by outcome").tag("outcome", outcome)
                    .register(meters));
            durations.put(outcome, Timer.builder("streamcast.training.duration")
                    .description("How long a retraining took (training and scoring), by outcome")
                    .tag("outcome", outcome)
                    .register(meters));
        }
    }

    synchronized void refresh() {
        List<ChallengerTrainer.Outcome> recent = registry.runs();
        int fresh = 0;
        while (fresh < recent.size() && recent.get(fresh) != newestCounted) {
            fresh++;
        }
        // Count oldest first, so the meters see runs in the order they happened.
        for (int i = fresh - 1; i >= 0; i--) {
            ChallengerTrainer.Outcome run = recent.get(i);
            String outcome = ApiViews.TrainingRun.outcomeOf(run);
            runs.get(outcome).increment();
            durations.get(outcome).record(run.durationMs(), TimeUnit.MILLISECONDS);
        }
        if (fresh > 0) {
            newestCounted = recent.get(0);
        }
    }
}
