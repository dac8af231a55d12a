package dev.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SensorSeasonTest {

    private static final long HALF_HOUR = 1_800_000L;
    private static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli(); // a Monday

    /** Feeds a series with one reading per cadence from START and returns the season. */
    private static SensorSeason feed(SensorSeason season, long cadenceMs, double[] values) {
        for (int t = 1; t < values.length; t++) {
            season.observe(true, START + (t - 1) * cadenceMs, values[t - 1], START + t * cadenceMs, values[t]);
        }
        return season;
    }

    /** A daily cycle of amplitude 10 on a slowly wandering level, with noise of 0.3, at the half-hour. */
    private static double[] daily(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        double level = 50;
        for (int t = 0; t < n; t++) {
            level += 0.05 * random.nextGaussian();
            x[t] = level + 10 * Math.sin(2 * Math.PI * t / 48) + 0.3 * random.nextGaussian();
        }
        return x;
    }

    @Test
    void aDailyCycleIsFoundAndItsProfileFollowsIt() {
        SensorSeason season = feed(new SensorSeason(400), HALF_HOUR, daily(48 * 20, 1));
        assertTrue(season.isRegular());
        assertEquals(HALF_HOUR, season.cadenceMs());
        assertTrue(season.hasSeason());
        // A day, or a week that repeats it (both fit; the week's profile is noisier).
        assertEquals(SensorSeason.Cycle.DAY, season.cycle());
        assertEquals(48, season.seasonLength());
        // Raw steps: the cycle's (RMS about 0.9) and the noise's (0.3 sqrt 2); adjusted, about the noise's alone.
        assertTrue(season.strength() > 0.6, "strength " + season.strength());
        // The profile at 06:00 (sin = +1) and 18:00 (sin = -1), 20 days on.
        long six = START + (20 * 48 + 12) * HALF_HOUR;
        long eighteen = START + (20 * 48 + 36) * HALF_HOUR;
        assertEquals(20, season.offset(six) - season.offset(eighteen), 2.0);
        // Ahead: one step after 05:30 is 06:00.
        assertEquals(season.offset(six), season.offsetAhead(six - HALF_HOUR, 1), 1e-12);
    }

    @Test
    void noiseHasNoSeasonAndKeepsOnlyAFewDozenBytesOnceTheTrialIsOver() {
        Random random = new Random(2);
        double[] x = new double[7 * 40];
        for (int t = 0; t < x.length; t++) {
            x[t] = 20 + random.nextGaussian();
        }
        SensorSeason season = feed(new SensorSeason(400), SensorSeason.DAY_MS, x);
        assertEquals(SensorSeason.DAY_MS, season.cadenceMs());
        assertFalse(season.hasSeason());
        assertEquals(0.0, season.offset(START), 0.0);
        assertTrue(season.bytes() <= 34, "bytes " + season.bytes());
    }

    @Test
    void aTenMinuteSensorWithoutACycleDropsBothItsDayAndItsWeek() {
        Random random = new Random(21);
        double[] x = new double[6 * 24 * 7 * 11];
        double level = 0;
        for (int t = 0; t < x.length; t++) {
            level += 0.1 * random.nextGaussian();
            x[t] = level + random.nextGaussian();
        }
        SensorSeason season = feed(new SensorSeason(400), 600_000, x);
        assertFalse(season.hasSeason());
        // Two dropped candidates of 8 bytes each beside the cadence's 18: the state grows by 34 bytes, not 64.
        assertEquals(34, season.bytes());
        ByteBuffer buffer = ByteBuffer.allocate(season.bytes());
        season.write(buffer);
        SensorSeason read = new SensorSeason(400);
        read.read(ByteBuffer.wrap(buffer.array()));
        assertEquals(34, read.bytes());
        assertEquals(600_000, read.cadenceMs());
    }

    @Test
    void aWeeklyCycleOfDailyReadingsIsFound() {
        Random random = new Random(3);
        double[] weekday = {0, 5, 5, 5, 5, 5, -30};
        double[] x = new double[7 * 30];
        for (int t = 0; t < x.length; t++) {
            x[t] = 100 + weekday[t % 7] + 2 * random.nextGaussian();
        }
        SensorSeason season = feed(new SensorSeason(400), SensorSeason.DAY_MS, x);
        assertEquals(SensorSeason.Cycle.WEEK, season.cycle());
        assertEquals(7, season.seasonLength());
        // Day 6 of each week is 35 below the others.
        long day6 = START + (7 * 30 + 6) * SensorSeason.DAY_MS;
        long day3 = START + (7 * 30 + 3) * SensorSeason.DAY_MS;
        assertEquals(-35, season.offset(day6) - season.offset(day3), 3.0);
    }

    @Test
    void monthlyReadingsOnTheCalendarHaveAYearOfTwelveMonths() {
        SensorSeason season = new SensorSeason(400);
        ZonedDateTime month = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Random random = new Random(4);
        double previous = Double.NaN;
        long previousTime = 0;
        for (int t = 0; t < 12 * 12; t++) {
            double x = 10 - 8 * Math.cos(2 * Math.PI * (month.getMonthValue() - 1) / 12) + 0.5 * random.nextGaussian();
            long time = month.toInstant().toEpochMilli();
            season.observe(t > 0, previousTime, previous, time, x);
            previous = x;
            previousTime = time;
            month = month.plusMonths(1);
        }
        assertEquals(SensorSeason.MONTHLY, season.cadenceMs());
        assertEquals(SensorSeason.Cycle.YEAR, season.cycle());
        long july = Instant.parse("2012-07-01T00:00:00Z").toEpochMilli();
        long january = Instant.parse("2012-01-01T00:00:00Z").toEpochMilli();
        assertEquals(16, season.offset(july) - season.offset(january), 2.0);
        // Six months after January is July.
        assertEquals(season.offset(july), season.offsetAhead(january, 6), 1e-12);
    }

    @Test
    void theMonthOfAnEpochMillisecondIsTheCalendars() {
        for (long t = -5_000_000_000_000L; t < 5_000_000_000_000L; t += 987_654_321_123L / 97) {
            assertEquals(Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).getMonthValue() - 1,
                    SensorSeason.monthOfYear(t), "at " + Instant.ofEpochMilli(t));
        }
    }

    @Test
    void irregularDuplicatedAndShuffledTimestampsNeverGiveASeasonNorAnException() {
        SensorSeason season = new SensorSeason(400);
        Random random = new Random(5);
        long time = START;
        double previous = 0;
        for (int t = 0; t < 5000; t++) {
            long next = time + (long) (random.nextDouble() * 3 * HALF_HOUR) - (t % 17 == 0 ? HALF_HOUR : 0);
            double x = 10 * Math.sin(2 * Math.PI * t / 48) + (t % 101 == 0 ? Double.NaN : random.nextGaussian());
            season.observe(t > 0, time, previous, t % 13 == 0 ? time : next, x);
            time = next;
            previous = x;
        }
        assertFalse(season.hasSeason());
        assertNull(season.cycle());
    }

    @Test
    void aGapLongerThanASeasonKeepsThePhasesAndTheSeason() {
        double[] x = daily(48 * 20, 6);
        SensorSeason season = feed(new SensorSeason(400), HALF_HOUR, x);
        assertTrue(season.hasSeason());
        // Three days and a half-hour of silence, then the cycle goes on where the calendar is.
        long last = START + (x.length - 1) * HALF_HOUR;
        long after = last + (3 * 48 + 1) * HALF_HOUR;
        double value = 50 + 10 * Math.sin(2 * Math.PI * (x.length + 3 * 48) / 48);
        assertFalse(season.observe(true, last, x[x.length - 1], after, value));
        assertTrue(season.hasSeason());
    }

    @Test
    void aSensorThatChangesItsCadenceStartsItsSeasonsOver() {
        double[] x = daily(48 * 20, 7);
        SensorSeason season = feed(new SensorSeason(400), HALF_HOUR, x);
        assertTrue(season.hasSeason());
        long time = START + (x.length - 1) * HALF_HOUR;
        double previous = x[x.length - 1];
        for (int t = 0; t < 200; t++) {
            long next = time + 7 * 60_000;
            season.observe(true, time, previous, next, previous + 0.1);
            time = next;
            previous += 0.1;
        }
        assertEquals(7 * 60_000, season.cadenceMs());
        assertFalse(season.hasSeason());
    }

    @Test
    void aDayLongerThanTheBinsIsKeptInBins() {
        // A minute sensor's day is 1,440 readings: at most 200 bins means bins of 8 minutes.
        Random random = new Random(8);
        double[] x = new double[1440 * 8];
        for (int t = 0; t < x.length; t++) {
            x[t] = 20 + 5 * Math.sin(2 * Math.PI * t / 1440) + 0.01 * random.nextGaussian();
        }
        SensorSeason season = new SensorSeason(200);
        feed(season, 60_000, x);
        assertTrue(season.hasSeason());
        assertEquals(180, season.seasonBins());
        // Read between the bins: near the cycle at any minute (within a tenth: after 8 days some of the first day's
        // estimate, made against a level still being learned, is left).
        long morning = START + (8 * 1440 + 6 * 60 + 7) * 60_000L;
        long evening = morning + 12 * 3_600_000L;
        assertEquals(10 * Math.sin(2 * Math.PI * (6 * 60 + 7) / 1440), season.offset(morning) - season.offset(evening),
                1.0);
        ByteBuffer buffer = ByteBuffer.allocate(season.bytes());
        season.write(buffer);
        // The week (10,080 readings, over 8 x 200) is no candidate: one profile only.
        assertTrue(season.bytes() < 180 * 8 + 100, "bytes " + season.bytes());
    }

    @Test
    void aFastSensorHasNoCandidateSeasonsAndKeepsOnlyItsCadence() {
        // Readings 100 ms apart: a day is 864,000 readings, far more than 8 x 400 bins.
        double[] x = new double[2000];
        Random random = new Random(22);
        for (int t = 0; t < x.length; t++) {
            x[t] = random.nextGaussian();
        }
        SensorSeason season = feed(new SensorSeason(400), 100, x);
        assertEquals(100, season.cadenceMs());
        assertEquals(18, season.bytes());
    }

    @Test
    void whatIsWrittenIsReadBack() {
        SensorSeason season = feed(new SensorSeason(400), HALF_HOUR, daily(48 * 20, 9));
        ByteBuffer buffer = ByteBuffer.allocate(season.bytes());
        season.write(buffer);
        assertEquals(season.bytes(), buffer.position());
        SensorSeason read = new SensorSeason(400);
        read.read(ByteBuffer.wrap(buffer.array()));
        assertEquals(season.cycle(), read.cycle());
        assertEquals(season.cadenceMs(), read.cadenceMs());
        for (int k = 0; k < 48; k++) {
            assertEquals(season.offset(START + k * HALF_HOUR), read.offset(START + k * HALF_HOUR), 0.0);
        }
        assertEquals(season.bytes(), read.bytes());
        // Read with another bin budget: the season starts over, nothing fails.
        SensorSeason fewer = new SensorSeason(10);
        fewer.read(ByteBuffer.wrap(buffer.array()));
        assertFalse(fewer.hasSeason());
        // And with seasons off, nothing is kept.
        SensorSeason off = new SensorSeason(0);
        off.read(ByteBuffer.wrap(buffer.array()));
        assertFalse(off.hasSeason());
        assertEquals(0.0, off.offset(START), 0.0);
    }
    @Test
    void aHalfHourlyLoadWithItsDayAndItsWeekendsIsADayAndAWeek() {
        // A daily shape of amplitude 10, 15 lower on Saturdays and Sundays (START is a Monday), noise of 0.5.
        Random random = new Random(21);
        double[] x = new double[48 * 7 * 12];
        for (int t = 0; t < x.length; t++) {
            int weekday = (t / 48) % 7;
            x[t] = 100 + 10 * Math.sin(2 * Math.PI * t / 48) - (weekday >= 5 ? 15 : 0) + 0.5 * random.nextGaussian();
        }
        SensorSeason season = feed(new SensorSeason(400), HALF_HOUR, x);
        assertEquals(SensorSeason.Cycle.DAY_AND_WEEK, season.cycle());
        assertEquals(336, season.seasonLength());
        assertEquals("day+week", season.cycle().label());
        // The same hour on a Saturday and on the Friday before: 15 apart; 06:00 and 18:00 of a Tuesday: 20 apart.
        long week12 = START + 12L * 7 * 48 * HALF_HOUR;
        long fridayNoon = week12 + (4 * 48 + 24) * HALF_HOUR;
        assertEquals(-15, season.offset(fridayNoon + 48 * HALF_HOUR) - season.offset(fridayNoon), 1.5);
        long tuesdaySix = week12 + (48 + 12) * HALF_HOUR;
        assertEquals(20, season.offset(tuesdaySix) - season.offset(tuesdaySix + 24 * HALF_HOUR), 1.5);
        // Two profiles, 48 + 336 floats, and what a candidate keeps beside them; the day on trial alongside.
        ByteBuffer buffer = ByteBuffer.allocate(season.bytes());
        season.write(buffer);
        assertEquals(season.bytes(), buffer.position());
        SensorSeason read = new SensorSeason(400);
        read.read(ByteBuffer.wrap(buffer.array()));
        assertEquals(season.offset(fridayNoon), read.offset(fridayNoon), 0.0);
        assertEquals(season.persistence(), read.persistence(), 1e-6);
    }

    @Test
    void departuresThatFadeAreForecastBackTowardsTheLevelAndLastingOnesAreCarried() {
        // Monthly readings: a yearly cycle plus departures that keep 0.3 of themselves from one month to the next, or
        // a level that wanders as a random walk.
        Random random = new Random(22);
        SensorSeason fading = new SensorSeason(400);
        SensorSeason lasting = new SensorSeason(400);
        ZonedDateTime month = ZonedDateTime.of(1990, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        double departure = 0;
        double walk = 0;
        double previousFading = Double.NaN;
        double previousLasting = Double.NaN;
        long previousTime = 0;
        for (int t = 0; t < 12 * 30; t++) {
            double cycle = 10 - 8 * Math.cos(2 * Math.PI * (month.getMonthValue() - 1) / 12);
            departure = 0.3 * departure + random.nextGaussian();
            walk += random.nextGaussian();
            long time = month.toInstant().toEpochMilli();
            fading.observe(t > 0, previousTime, previousFading, time, cycle + departure);
            lasting.observe(t > 0, previousTime, previousLasting, time, cycle + walk);
            previousFading = cycle + departure;
            previousLasting = cycle + walk;
            previousTime = time;
            month = month.plusMonths(1);
        }
        assertEquals(SensorSeason.Cycle.YEAR, fading.cycle());
        assertEquals(SensorSeason.Cycle.YEAR, lasting.cycle());
        assertEquals(0.3, fading.persistence(), 0.2);
        assertTrue(lasting.persistence() > 0.8, "persistence " + lasting.persistence());
        // rho^h (a - level): a departure of 4 above the level, three months on.
        double level = fading.level();
        double rho = fading.persistence();
        assertEquals(level + rho * rho * rho * 4, fading.towardsLevel(level + 4, 3), 1e-9);
        // Without a season: the value itself, the last value carried.
        SensorSeason none = new SensorSeason(400);
        assertEquals(1.0, none.persistence(), 0.0);
        assertEquals(7.5, none.towardsLevel(7.5, 5), 0.0);
    }
}
