package dev.streamcast.backtest;

/**
 * Totals over the series of a scoring ({@link ForecastScoring}) of what was due and what came.
 *
 * @param missingForecasts   readings due a forecast (see {@link EligibleReadings}) that have none
 * @param missingAccuracy    readings due a (step-1) accuracy record that have none
 * @param duplicateForecasts forecasts for a reading that already had one (never scored)
 * @param duplicateAccuracy  accuracy records for a reading and horizon step that already had one (never scored)
 */
public record Completeness(int missingForecasts, int missingAccuracy, int duplicateForecasts,
                           int duplicateAccuracy) {

    /** Every due record is there. */
    public boolean complete() {
        return missingForecasts == 0 && missingAccuracy == 0;
    }

    Completeness plus(Completeness o) {
        return new Completeness(missingForecasts + o.missingForecasts, missingAccuracy + o.missingAccuracy,
                duplicateForecasts + o.duplicateForecasts, duplicateAccuracy + o.duplicateAccuracy);
    }
}
