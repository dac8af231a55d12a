package dev.streamcast.backtest;

import java.time.Duration;
import java.util.Arrays;

/**
 * Which readings of a series the topology must answer, by the rules of its window: a forecast after every reading
 * that fills or keeps the window full, an accuracy record for every reading that arrives while a forecast is
 * pending. A silence longer than {@code window.max-gap} restarts the window (and drops the pending forecast).
 * What a consumer of the live service waits for before it scores; readings the topology refuses (to the
 * dead-letter topic) are not foreseen here and show as missing.
 *
 * @param forecasts the timestamps of the readings after which a forecast is due
 * @param accuracy  the timestamps of the readings whose accuracy record is due
 */
record EligibleReadings(long[] forecasts, long[] accuracy) {

    /** @param timestamps the series' readings in order; {@code maxGap} null: the window never restarts */
    static EligibleReadings of(long[] timestamps, int windowLength, Duration maxGap) {
        long maxGapMs = maxGap == null ? Long.MAX_VALUE : maxGap.toMillis();
        long[] forecasts = new long[timestamps.length];
        long[] accuracy = new long[timestamps.length];
        int nForecasts = 0;
        int nAccuracy = 0;
        int inWindow = 0;
        for (int i = 0; i < timestamps.length; i++) {
            if (i > 0 && timestamps[i] - timestamps[i - 1] > maxGapMs) {
                inWindow = 0;
            }
            // A full window before this reading means a forecast was pending: this reading scores it.
            if (inWindow >= windowLength) {
                accuracy[nAccuracy++] = timestamps[i];
            }
            inWindow = Math.min(windowLength, inWindow + 1);
            if (inWindow >= windowLength) {
                forecasts[nForecasts++] = timestamps[i];
            }
        }
        return new EligibleReadings(Arrays.copyOf(forecasts, nForecasts), Arrays.copyOf(accuracy, nAccuracy));
    }
}
