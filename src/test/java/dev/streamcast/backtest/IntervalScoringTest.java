package dev.streamcast.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's columns of the one scorer (ForecastScoring, SeriesScorer): coverage, widths, anomaly rate, floor share,
 * the model's own skill, the steps, and injected spikes counted apart; on records written as the stream writes them.
 */
@Tag("unit")
class IntervalScoringTest {

    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final double LEVEL = 0.9;

    /** Ten readings of value i, one a day: the scored part is readings 5 to 9. */
    private static List<SensorReading> ramp() {
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(new SensorReading("s", T0 + i * DAY, i));
        }
        return readings;
    }

    private static String at(int i) {
        return Instant.ofEpochMilli(T0 + i * DAY).toString();
    }

    private static String forecast(int after, double last, String model, String naiveReason) {
        return "{\"sensorId\":\"s\",\"timestamp\":\"" + at(after) + "\",\"window\":[" + last + "],\"forecast\":0,"
                + "\"model\":\"" + model + "\"" + (naiveReason == null ? "" : ",\"naiveReason\":\"" + naiveReason
                + "\"")
                + "}";
    }

    private static String accuracy(int i, double forecast, double actual, String interval, boolean anomaly,
                                   String extra) {
        return "{\"sensorId\":\"s\",\"timestamp\":\"" + at(i) + "\",\"forecast\":" + forecast + ",\"actual\":" + actual
                + ",\"step\":1" + (interval == null ? "" : "," + interval) + ",\"anomalyScore\":0.5,\"anomaly\":"
                + anomaly + (extra == null ? "" : "," + extra) + "}";
    }

    /** The records of the scored part, reading 7 being a spike of 16 (the last value 6 plus 10 RMS steps of 1). */
    private static void feed(ForecastScoring scoring) {
        for (int i = 0; i < 4; i++) {
            scoring.onForecast("s", forecast(i, i, "naive", "no-model"));
            if (i > 0) {
                scoring.onAccuracy("s", accuracy(i, i - 1, i, null, false, null));
            }
        }
        scoring.onForecast("s", forecast(4, 4, "lstm", null));
        scoring.onAccuracy("s", accuracy(4, 3, 4, null, false, null));
        // 5: the model's 5, inside [4, 6].
        scoring.onAccuracy("s", accuracy(5, 5, 5, "\"lower\":4,\"upper\":6", false, null));
        // 6: the floor served the naive 5 (the model said 6.5); outside [4, 5.5].
        scoring.onForecast("s", forecast(5, 5, "naive", "floor"));
        scoring.onAccuracy("s", accuracy(6, 5, 6, "\"lower\":4,\"upper\":5.5", false, "\"modelForecast\":6.5"));
        // 7: the spike, flagged.
        scoring.onForecast("s", forecast(6, 6, "lstm", null));
        scoring.onAccuracy("s", accuracy(7, 7, 16, "\"lower\":6,\"upper\":8", true, null));
        // 8: after the spike the naive forecast is 16; no interval; flagged.
        scoring.onForecast("s", forecast(7, 16, "lstm", null));
        scoring.onAccuracy("s", accuracy(8, 9, 8, null, true, null));
        // 9: inside [8.5, 9.5].
        scoring.onForecast("s", forecast(8, 8, "lstm", null));
        scoring.onAccuracy("s", accuracy(9, 9, 9, "\"lower\":8.5,\"upper\":9.5", false, null));
    }

    @Test
    void spikesAreInjectedEvenlyIntoTheScoredPartAtTenRmsStepsAboveTheLastValue() {
        SpikeInjection spikes = SpikeInjection.inject(ramp(), 0.5, 1);
        assertEquals(16.0, spikes.readings().get(7).value(), 1e-12);
        assertTrue(spikes.isSpike("s", T0 + 7 * DAY));
        assertFalse(spikes.isSpike("s", T0 + 6 * DAY));
        assertEquals(6.0, spikes.readings().get(6).value(), 1e-12, "the other readings as they were");
        assertFalse(SpikeInjection.inject(ramp(), 0.5, 0).isSpike("s", T0 + 7 * DAY));
    }

    @Test
    void theScoredPartGivesCoverageWidthsAnomalyRateFloorShareAndTheModelsOwnSkillWithTheSpikeApart() {
        SpikeInjection spikes = SpikeInjection.inject(ramp(), 0.5, 1);
        ForecastScoring scoring = new ForecastScoring(spikes.readings(), 0.5, LEVEL, spikes);
        feed(scoring);
        BacktestReport report = scoring.report(List.of());
        BacktestReport.SeriesResult s = report.series().get(0);

        assertEquals(4, s.scored(), "readings 5, 6, 8 and 9; the spike is not one of the series' readings");
        assertEquals(1, s.spikes());
        assertEquals(1.0, s.spikeRecall(), 1e-12);
        assertEquals(2 / 3.0, s.coverage(), 1e-12, "two of the three intervals hold their reading");
        assertEquals(1.5, s.meanWidth(), 1e-12);
        // Naive errors 1, 1, 8, 1: the 0.9 quantile is the 4th smallest.
        assertEquals(16.0, s.naiveWidth(), 1e-12);
        assertEquals(0.25, s.anomalyRate(), 1e-12);
        assertEquals(1, s.anomalies());
        assertEquals(0.25, s.floorShare(), 1e-12);
        assertEquals(0.75, s.modelShare(), 1e-12);
        double naiveMse = (1 + 1 + 64 + 1) / 4.0;
        assertEquals(1 - Math.sqrt((0 + 1 + 1 + 0) / 4.0 / naiveMse), s.skill(), 1e-12);
        assertEquals(1 - Math.sqrt((0 + 0.25 + 1 + 0) / 4.0 / naiveMse), s.modelSkill(), 1e-12,
                "the floor's held-back model forecast 6.5 is the model's");
        assertEquals(List.of(new BacktestReport.StepResult(1, 4, s.rmse(), s.naiveRmse(), s.skill(), s.coverage(),
                s.meanWidth())), s.steps());

        BacktestReport.SeriesResult overall = report.overall();
        assertEquals(s.coverage(), overall.coverage());
        assertEquals(s.naiveWidth(), overall.naiveWidth());
        assertEquals(1, overall.spikes());
        assertEquals(1.0, overall.spikeRecall(), 1e-12);
    }

    @Test
    void withoutInjectionAsScoreScoresEveryReadingAndReportsNoSpikes() {
        ForecastScoring scoring = new ForecastScoring(ramp(), 0.5, LEVEL);
        feed(scoring);
        BacktestReport.SeriesResult s = scoring.report(List.of()).series().get(0);
        assertEquals(5, s.scored());
        assertEquals(0, s.spikes());
        assertNull(s.spikeRecall());
        assertEquals(0.5, s.coverage(), 1e-12);
        assertEquals(2 / 5.0, s.anomalyRate(), 1e-12);
    }

    /** A step-k (k >= 2) record as the stream writes it: no anomaly fields. */
    private static String stepAccuracy(int i, int step, double forecast, double actual, double lower, double upper) {
        return "{\"sensorId\":\"s\",\"timestamp\":\"" + at(i) + "\",\"forecast\":" + forecast + ",\"actual\":" + actual
                + ",\"step\":" + step + ",\"lower\":" + lower + ",\"upper\":" + upper + "}";
    }

    /**
     * forecast.horizon 2 on the ramp: a forecast after every reading, step 1 a quarter below the next value, step 2
     * half a unit below the value two readings on; each reading's step-2 record comes before its step-1 record, as
     * the stream writes them.
     */
    @Test
    void laterStepsAreScoredAgainstTheValueCarriedThatManyStepsAndLeaveTheOneStepFiguresAlone() {
        ForecastScoring oneStep = new ForecastScoring(ramp(), 0.5, LEVEL);
        ForecastScoring twoSteps = new ForecastScoring(ramp(), 0.5, LEVEL);
        for (int i = 0; i < 10; i++) {
            if (i >= 1) {
                String first = accuracy(i, i - 0.75, i, "\"lower\":" + (i - 1.25) + ",\"upper\":" + (i - 0.25), false,
                        null);
                oneStep.onAccuracy("s", first);
                if (i >= 2) {
                    // Odd readings inside [i - 1.5, i + 0.5], even ones outside [i - 1.5, i - 0.8].
                    twoSteps.onAccuracy("s", stepAccuracy(i, 2, i - 0.5, i, i - 1.5, i % 2 == 1 ? i + 0.5 : i - 0.8));
                }
                // Without "step": step 1's.
                twoSteps.onAccuracy("s", first.replace(",\"step\":1", ""));
            }
            oneStep.onForecast("s", forecast(i, i, "lstm", null));
            twoSteps.onForecast("s", forecast(i, i, "lstm", null));
        }
        BacktestReport.SeriesResult one = oneStep.report(List.of()).series().get(0);
        BacktestReport.SeriesResult two = twoSteps.report(List.of()).series().get(0);
        assertEquals(one, new BacktestReport.SeriesResult(two.id(), two.readings(), two.refused(), two.forecasts(),
                two.scored(), two.modelShare(), two.firstModelAt(), two.rmse(), two.mae(), two.naiveRmse(), two.skill(),
                two.coverage(), two.meanWidth(), two.naiveWidth(), two.anomalyRate(), two.anomalies(),
                two.floorShare(), two.modelSkill(), two.spikes(), two.spikeRecall(), List.of(two.steps().get(0))),
                "the one-step figures are the step-1 records' alone");
        assertEquals(5, two.scored());
        assertEquals(1 - 0.75, two.skill(), 1e-12);

        assertEquals(2, two.steps().size());
        BacktestReport.StepResult first = two.steps().get(0);
        assertEquals(new BacktestReport.StepResult(1, 5, two.rmse(), two.naiveRmse(), two.skill(), two.coverage(),
                two.meanWidth()), first);
        BacktestReport.StepResult second = two.steps().get(1);
        assertEquals(2, second.step());
        assertEquals(5, second.scored(), "readings 5 to 9");
        assertEquals(0.5, second.rmse(), 1e-12);
        assertEquals(2.0, second.naiveRmse(), 1e-12, "the naive forecast of step 2: the value two readings before");
        assertEquals(0.75, second.skill(), 1e-12);
        assertEquals(3 / 5.0, second.coverage(), 1e-12, "readings 5, 7 and 9");
        assertEquals((3 * 2.0 + 2 * 0.7) / 5, second.meanWidth(), 1e-12);

        BacktestReport.SeriesResult overall = twoSteps.report(List.of()).overall();
        assertEquals(two.steps(), overall.steps(), "one series: the pooled steps are its own");
        assertEquals(0, twoSteps.completeness(1, null).duplicateAccuracy(), "a step-2 record is not a duplicate");
    }

    @Test
    void noIntervalNoCoverage() {
        ForecastScoring scoring = new ForecastScoring(ramp(), 0.5, LEVEL);
        scoring.onForecast("s", forecast(6, 6, "naive", "no-model"));
        scoring.onAccuracy("s", accuracy(7, 6, 7, null, false, null));
        BacktestReport.SeriesResult s = scoring.report(List.of()).series().get(0);
        assertEquals(1, s.scored());
        assertNull(s.coverage());
        assertNull(s.meanWidth());
        assertEquals(2.0, s.naiveWidth(), 1e-12);
        assertNull(s.modelSkill(), "no model forecast");
        assertEquals(0.0, s.floorShare(), 1e-12);
    }
}
