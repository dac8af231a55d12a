package dev.streamcast.backtest;

import java.util.List;

/**
 * What a backtest found, per series and overall, and the retraining decisions it saw; written as JSON by
 * {@code streamcast backtest --json}. Undefined figures (no forecast scored, a perfect naive forecast) are null.
 *
 * @param scoreFrom   the fraction of each series' readings after which its forecasts are scored
 * @param readings    rows replayed
 * @param overall     every series' scored forecasts together (RMSE and MAE pooled in the readings' units)
 * @param medianSkill the median of the series' skills (series with a skill only)
 */
public record BacktestReport(double scoreFrom, int readings, List<SeriesResult> series, SeriesResult overall,
                             Double medianSkill, List<Retraining> retrainings) {

    /**
     * One series.
     *
     * @param readings     rows of the series in the file
     * @param refused      of those, how many the topology refused (to the dead-letter topic)
     * @param forecasts    forecasts published for the series, over the whole file
     * @param scored       forecasts scored on the scored part (an accuracy record for a reading from
     *                     {@code scoreFrom} on)
     * @param modelShare   of the scored forecasts, the share served by a trained model ({@code "model":"lstm"})
     * @param firstModelAt the fraction of the series' readings seen when its first trained-model forecast was
     *                     made; null when none was (overall: the latest series')
     * @param rmse         sqrt(mean (actual - forecast)^2) over the scored forecasts, the forecasts as published
     * @param naiveRmse    the same for the naive forecast (the last value of each scored forecast's window)
     * @param skill        1 - rmse / naiveRmse: above 0 beats the last value
     * @param coverage     the share of scored readings inside their forecast's interval (forecast.interval.level);
     *                     null when no scored forecast had an interval
     * @param meanWidth    the mean width (upper - lower) of the scored forecasts' intervals
     * @param naiveWidth   the naive forecast's own calibrated interval: twice the level-quantile of the scored
     *                     readings' absolute steps
     * @param anomalyRate  the share of scored readings flagged as anomalies ({@code anomalies} of them)
     * @param floorShare   the share of scored forecasts the per-sensor floor served naive
     * @param modelSkill   the skill of the model's own forecasts (the floor's held-back ones included) on the scored
     *                     readings a model forecast; null when none did
     * @param spikes       injected spikes scored (backtest --spikes; 0 for score); they are not among the scored
     *                     readings
     * @param spikeRecall  of those, the share flagged as anomalies; null without spikes
     * @param steps        per horizon step 1..H (forecast.horizon; the steps seen in the accuracy records): the
     *                     same figures for that step's forecasts of the scored readings, step 1 being the figures
     *                     above
     */
    public record SeriesResult(String id, int readings, int refused, int forecasts, int scored, Double modelShare,
                               Double firstModelAt, Double rmse, Double mae, Double naiveRmse, Double skill,
                               Double coverage, Double meanWidth, Double naiveWidth, Double anomalyRate, long anomalies,
                               Double floorShare, Double modelSkill, int spikes, Double spikeRecall,
                               List<StepResult> steps) {
    }

    /**
     * One horizon step h of a series: its forecasts of the scored readings (each made h readings before the reading).
     *
     * @param scored    step-h accuracy records of the scored readings
     * @param rmse      sqrt(mean (actual - forecast)^2) of the step-h forecasts
     * @param naiveRmse the same for the naive forecast of step h: the last value when the forecast was made, carried
     *                  h steps (the value h readings before the scored one)
     * @param skill     1 - rmse / naiveRmse
     * @param coverage  the share of step-h actuals inside the step's interval [lower, upper]
     * @param meanWidth the step's mean interval width
     */
    public record StepResult(int step, int scored, Double rmse, Double naiveRmse, Double skill, Double coverage,
                             Double meanWidth) {
    }

    /**
     * One retraining decision.
     *
     * @param streamTime     the timestamp of the last reading replayed when it ran (stream time stands still
     *                       meanwhile); null when read from a live service's models topic, which does not say
     * @param outcome        accepted, rejected or failed (the models topic holds accepted models only)
     * @param version        the model's version in use after the decision: the new one when accepted
     * @param samples        the samples it saw: trained on plus held out; null when the model document does not say
     * @param trainingSamples null when read from the models topic (its documents give the total only)
     * @param championRmse   null when there was no champion (the first model is compared with the naive forecast)
     * @param decision       the trainer's own words
     */
    public record Retraining(String streamTime, String modelId, String outcome, long version, Integer samples,
                             Integer trainingSamples, Integer holdoutSamples, Double challengerRmse,
                             Double championRmse, Double naiveRmse, String decision) {
    }
}
