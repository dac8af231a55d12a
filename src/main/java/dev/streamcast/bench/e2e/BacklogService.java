package dev.streamcast.bench.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code bench backlog} starts the service it measures: the options of its JVM before {@code -jar} (none by
 * default, as a user starts it), settings given to {@code streamcast run} as {@code --set KEY=VALUE} after the
 * benchmark's own (so they win), and the model it forecasts with from the start: a model document, its window
 * length and the features it is fed (comma-separated, or null for the value alone), or null (0, null) for the seed
 * model trained by {@code streamcast train}.
 *
 * @param javaOptions  the JVM's options
 * @param settings     KEY=VALUE settings of the service
 * @param model        an imported model document, or null for the seed
 * @param windowLength the model's window length (0 with the seed)
 * @param features     the model's features, comma-separated, or null
 */
public record BacklogService(List<String> javaOptions, List<String> settings, Path model, int windowLength,
                             String features) {

    /** The defaults: the seed model, no JVM option, no setting. */
    public static final BacklogService SEED = new BacklogService(List.of(), List.of(), null, 0, null);

    public BacklogService {
        javaOptions = List.copyOf(javaOptions);
        settings = List.copyOf(settings);
        if (model != null && windowLength < 1) {
            throw new IllegalArgumentException("a model's window length is at least 1, got " + windowLength);
        }
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set " + setting + ": KEY=VALUE");
            }
        }
    }
}
