package dev.streamcast.cli.runtime;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the demo has seen since it started, printed as one compact line every few seconds instead of a line per
 * forecast: sensors forecast, forecasts (in all and since the last line), the model the latest forecast came
 * from, and the bad records the service sent to the dead-letter topic.
 */
public final class DemoSummary {

    private final Set<String> sensors = new HashSet<>();
    private long forecasts;
    private long forecastsAtLastLine;
    private long deadLetters;
    private String model = "none yet";
    private String lastSensor;
    private double lastForecast;

    public void forecast(String sensorId, String modelKind, long modelVersion, double value) {
        sensors.add(sensorId);
        forecasts++;
        model = modelKind + " v" + modelVersion;
        lastSensor = sensorId;
        lastForecast = value;
    }

    public void deadLetter() {
        deadLetters++;
    }

    /**
     * One line, e.g. {@code [  30s] 10 sensors | 412 forecasts (+140) | model lstm v1 | 5 bad records to the DLQ |
     * last: freezer-temperature -> -17.93}; starts the next interval's count.
     */
    public String line(long elapsedSeconds, int sensorsProduced) {
        long recent = forecasts - forecastsAtLastLine;
        forecastsAtLastLine = forecasts;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "[%5ds] %d/%d sensors | %d forecasts (+%d) | model %s | %d bad records to the DLQ", elapsedSeconds,
                sensors.size(), sensorsProduced, forecasts, recent, model, deadLetters));
        if (lastSensor != null) {
            line.append(String.format(Locale.ROOT, " | last: %s -> %.2f", lastSensor, lastForecast));
        }
        return line.toString();
    }
}
