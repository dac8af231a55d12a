package dev.streamcast.model;

import java.nio.ByteBuffer;

/**
 * A sensor's cadence and season, learned from its own stream: the usual interval between its readings, and which
 * calendar cycle (a day, a week, a year of months) moves its readings, kept as a profile of offsets by phase. The
 * stream forecasts the sensor's readings with the profile taken out (the seasonally adjusted series, which the
 * shared network and the sensor's correction model, as STL + ARIMA models what STL leaves) and puts the profile of
 * the forecast's own time back in. A sensor without a confirmed season has offsets of exactly 0, so its path is
 * the seasonless one, number for number.
 *
 * <p><b>Cadence.</b> The first interval between two readings is the candidate cadence; calendar months (28 to 31
 * days) count as one regular cadence. An interval within {@value #TOLERANCE} of a whole number of cadences (a gap of
 * missing readings is regular) counts as regular; the sensor is regular while the exponentially weighted share of
 * regular intervals (the plain share over the first {@value #REGULAR_READINGS}, then a memory of as many) is at
 * least {@value #REGULAR_SHARE} after {@value #MIN_INTERVALS} intervals. When that share falls below one half, the
 * cadence has changed: the last interval is the new candidate and the seasons start over.
 *
 * <p><b>Candidate seasons</b> for a cadence c: a day (when c divides it, at least 2 readings), a week (likewise; a
 * daily sensor's week is 7 readings), and for monthly sensors a year of 12 months, each at most
 * {@value #MAX_READINGS_PER_BIN} x max-bins readings long (a minute sensor's day, not its week). A season of P readings
 * longer than
 * {@code forecast.season.max-bins} is kept as a profile of bins of ceil(P / max-bins) consecutive readings, read
 * between bins along the line joining their centres. The
 * phase of a reading is its place in the calendar cycle (UTC), so a gap, however long, leaves phases right.
 *
 * <p><b>Learning</b> (per candidate, Holt-Winters' additive rule; S the profile, b the reading's bin, k the number of
 * the season the reading is in, counted from 1):
 * <pre>
 *   a      = x - S[b]                                   (the adjusted reading, with the profile before it)
 *   level' = level + max(1 / n, 1 / P) (a - level)      (a level over about one season)
 *   S[b]'  = S[b] + max(1 / k, {@value #PROFILE_RATE}) / binSize ((x - level') - S[b])
 * </pre>
 * so the first season sets the profile and later ones follow a changing cycle with a memory of about ten seasons.
 * A day-and-week candidate (a sensor that reads more often than daily) learns the day's shape D from every day and
 * the week's W from what each day of the week adds to it, each by the same rule with its own season count:
 * <pre>
 *   D[d]' = D[d] + max(1 / days, {@value #PROFILE_RATE}) ((x - level' - W(t)) - D[d])
 *   W[b]' = W[b] + max(1 / k, {@value #PROFILE_RATE}) ((x - level' - D'(t)) - W[b]),    S(t) = W(t) + D(t)
 * </pre>
 *
 * <p><b>Confirmation.</b> Each candidate scores, from its third season on (before, the profile is mostly the first
 * seasons' noise), on every reading one cadence after the previous one, the naive
 * forecast of the raw series (the last value) and of the adjusted series (the last value, moved by the profile's
 * step between the two phases) as exponentially weighted mean squared errors with a memory of max(100, 2 P)
 * readings. After max({@value #MIN_SCORED}, 3 P) scored readings a candidate whose adjusted error is at most
 * {@value #CONFIRM} of the raw one is confirmed, and the confirmed candidate with the smallest adjusted error is the
 * sensor's season; it stays while its ratio is at most {@value #KEEP}. A candidate not confirmed after
 * {@value #TRIAL_SEASONS} seasons drops its profile (so a sensor without a season keeps a few dozen bytes) and is
 * tried again from scratch after {@value #RETRY_SEASONS} more, so a season that appears later is still found.
 *
 * <p>Irregular, duplicated or shuffled timestamps, a season longer than the history: no season (offset 0), never an
 * exception. One instance per sensor state; it allocates only when a cadence is found or changes.
 */
public final class SensorSeason {

    public static final long DAY_MS = 86_400_000L;
    public static final long WEEK_MS = 7 * DAY_MS;
    /** The cadence code of calendar months. */
    public static final long MONTHLY = -1;
    /** The default of forecast.season.max-bins: a week of half-hours (336) fits whole. */
    public static final int DEFAULT_MAX_BINS = 400;

    /**
     * A season is a candidate only while its bins hold at most this many readings: finer than that, a cycle moves
     * nothing from one reading to the next that the noise does not hide (a 10-second sensor's day), and a profile on
     * trial would cost a high-rate sensor kilobytes of state for days.
     */
    static final int MAX_READINGS_PER_BIN = 8;
    static final double TOLERANCE = 0.02;
    static final int REGULAR_READINGS = 50;
    static final double REGULAR_SHARE = 0.9;
    static final int MIN_INTERVALS = 10;
    static final double PROFILE_RATE = 0.1;
    static final double CONFIRM = 0.8;
    static final double KEEP = 0.9;
    static final int SCORED_FROM_SEASON = 2;
    static final int MIN_SCORED = 36;
    static final int TRIAL_SEASONS = 10;
    static final int RETRY_SEASONS = 32;
    private static final long MIN_MONTH_MS = 28 * DAY_MS;
    private static final long MAX_MONTH_MS = 31 * DAY_MS;

    /** The calendar cycles a season may follow. */
    public enum Cycle {
        DAY("day"), WEEK("week"), DAY_AND_WEEK("day+week"), YEAR("year");

        private final String label;

        Cycle(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final int maxBins;
    private long cadenceMs;
    private float regularShare;
    private int intervals;
    private final Candidate[] candidates = new Candidate[2];
    private int candidateCount;
    private int active = -1;

    /** @param maxBins forecast.season.max-bins; 0: no seasons (every offset is 0) */
    public SensorSeason(int maxBins) {
        this.maxBins = maxBins;
    }

    /**
     * One candidate season: its cycle, its length in readings, its profile and its two scores. A day-and-week
     * candidate's profile is two: the week's bins first (what each day of the week adds to the day's shape), then the
     * day's ({@code dayLength} readings in {@code dayBins} bins of {@code dayBinSize}).
     */
    private static final class Candidate {
        final Cycle cycle;
        final long periodMs;
        final int length;
        final int binSize;
        final int bins;
        final int dayLength;
        final int dayBinSize;
        final int dayBins;
        float[] profile;
        long readings;
        long retryAt;
        double level;
        double rawSquares;
        double adjustedSquares;
        long scored;
        // The adjusted series' persistence around its level: lag-one products and squares of its deviations.
        double lagProducts;
        double deviationSquares;
        double lastDeviation;

        Candidate(Cycle cycle, long periodMs, int length, int dayLength, int maxBins) {
            this.cycle = cycle;
            this.periodMs = periodMs;
            this.length = length;
            this.binSize = (length + maxBins - 1) / maxBins;
            this.bins = (length + binSize - 1) / binSize;
            this.dayLength = dayLength;
            this.dayBinSize = dayLength == 0 ? 1 : (dayLength + maxBins - 1) / maxBins;
            this.dayBins = dayLength == 0 ? 0 : (dayLength + dayBinSize - 1) / dayBinSize;
            this.profile = new float[storedBins()];
        }

        /** The profile's length: the week's bins and, for a day-and-week candidate, the day's. */
        int storedBins() {
            return bins + dayBins;
        }

        int seasons() {
            return (int) Math.min(Integer.MAX_VALUE, readings / length);
        }

        double ratio() {
            return rawSquares > 0 ? adjustedSquares / rawSquares : Double.POSITIVE_INFINITY;
        }
    }

    /** Whether a season is in use: offsets are then not all 0. */
    public boolean hasSeason() {
        return active >= 0;
    }

    /** The cadence in ms, {@link #MONTHLY} for calendar months, 0 while unknown. */
    public long cadenceMs() {
        return cadenceMs;
    }

    /** Whether the timestamps have kept to the cadence (a regular sensor). */
    public boolean isRegular() {
        return cadenceMs != 0 && intervals >= MIN_INTERVALS && regularShare >= REGULAR_SHARE;
    }

    /** The season in use, or null. */
    public Cycle cycle() {
        return active < 0 ? null : candidates[active].cycle;
    }

    /** The season's length in readings, 0 without one. */
    public int seasonLength() {
        return active < 0 ? 0 : candidates[active].length;
    }

    /** The season's profile bins, 0 without one. */
    public int seasonBins() {
        return active < 0 ? 0 : candidates[active].bins;
    }

    /**
     * The season's strength: 1 - (the adjusted naive forecast's mean squared error over the raw one's), in [0, 1];
     * 0 without a season.
     */
    public double strength() {
        return active < 0 ? 0 : Math.max(0, 1 - candidates[active].ratio());
    }

    /** The season's offset at {@code timestamp}: what the cycle adds there; 0 without a season. */
    public double offset(long timestamp) {
        if (active < 0) {
            return 0.0;
        }
        Candidate c = candidates[active];
        return cadenceMs == MONTHLY ? c.profile[monthOfYear(timestamp)] : at(c, slot(c, timestamp));
    }

    /** The offset {@code steps} cadences after {@code timestamp} (months for a monthly sensor); 0 without a season. */
    public double offsetAhead(long timestamp, int steps) {
        if (active < 0) {
            return 0.0;
        }
        Candidate c = candidates[active];
        if (cadenceMs == MONTHLY) {
            return c.profile[(monthOfYear(timestamp) + steps) % 12];
        }
        return at(c, slot(c, timestamp + steps * cadenceMs));
    }

    /**
     * The profile at a slot: its bin's value, or with bins of several readings the line between the two nearest bins'
     * centres (a bin holds the mean offset of its readings, and a step from bin to bin would put a jump into the
     * adjusted series at every bin's edge).
     */
    private static double at(Candidate c, long slot) {
        double week = at(c.profile, 0, c.bins, c.binSize, slot);
        return c.dayLength == 0 ? week : week + at(c.profile, c.bins, c.dayBins, c.dayBinSize, slot % c.dayLength);
    }

    /** The profile of {@code bins} bins of {@code binSize} readings from {@code from} on, at a slot. */
    private static double at(float[] profile, int from, int bins, int binSize, long slot) {
        if (binSize == 1) {
            return profile[from + (int) slot];
        }
        double position = (slot + 0.5) / binSize - 0.5;
        int left = (int) Math.floor(position);
        double fraction = position - left;
        int right = left + 1;
        left = Math.floorMod(left, bins);
        right = Math.floorMod(right, bins);
        return (1 - fraction) * profile[from + left] + fraction * profile[from + right];
    }

    /**
     * The persistence rho of the adjusted series around its level, for the season in use: its lag-one
     * autocorrelation, in [0, 1]; 1 without a season.
     * <pre>
     *   d_t = a_t - level,     rho = max(0, min(1, mean(d_(t-1) d_t) / mean(d_(t-1)^2)))
     * </pre>
     * (exponential means with the scores' memory).
     */
    public double persistence() {
        if (active < 0) {
            return 1.0;
        }
        Candidate c = candidates[active];
        return c.deviationSquares > 0 ? Math.max(0, Math.min(1, c.lagProducts / c.deviationSquares)) : 1.0;
    }

    /**
     * The adjusted series' own forecast {@code steps} readings after an adjusted value: back towards its level by
     * its persistence, as an AR(1) around the level forecasts:
     * <pre>
     *   a^(t+h) = level + rho^h (a_t - level)
     * </pre>
     * so a series whose cycle is out and whose departures fade (a month's temperature anomaly) is forecast by the
     * season with a little of the last departure, and one whose departures last (a load's weather-driven level)
     * by the last value moved by the season. Without a season: {@code adjusted} itself, the last value.
     */
    public double towardsLevel(double adjusted, int steps) {
        if (active < 0) {
            return adjusted;
        }
        double level = candidates[active].level;
        return level + Math.pow(persistence(), steps) * (adjusted - level);
    }

    /** The running level of the adjusted series of the season in use (meaningful only with one). */
    public double level() {
        return active < 0 ? 0 : candidates[active].level;
    }

    /** The adjusted series' mean squared step, as scored for the season in use (0 without one). */
    public double adjustedMeanSquaredStep() {
        return active < 0 ? 0 : candidates[active].adjustedSquares;
    }

    /**
     * Learns from a reading: the cadence from its interval after the previous reading (none: {@code hasPrevious}
     * false), then each candidate's profile and scores. Returns whether the season in use changed (started, ended,
     * or another), so that the caller can re-base what it keeps of the adjusted series.
     */
    public boolean observe(boolean hasPrevious, long previousTimestamp, double previousValue, long timestamp,
                           double value) {
        if (maxBins <= 0 || !hasPrevious || !Double.isFinite(value) || !Double.isFinite(previousValue)) {
            return false;
        }
        long interval = timestamp - previousTimestamp;
        int before = active;
        int cadences = cadences(interval);
        if (cadenceMs == 0 || (cadences == 0 && regularShare < 0.5f && intervals >= MIN_INTERVALS)) {
            startCadence(interval);
            cadences = cadences(interval);
        }
        intervals = Math.min(intervals + 1, 1_000_000);
        regularShare += ((cadences > 0 ? 1f : 0f) - regularShare) / Math.min(intervals, REGULAR_READINGS);
        if (cadences > 0) {
            for (int i = 0; i < candidateCount; i++) {
                learn(candidates[i], cadences == 1, previousTimestamp, previousValue, timestamp, value);
            }
        }
        choose();
        return active != before;
    }

    /** How many cadences the interval spans (a whole number within the tolerance), or 0 when it is not regular. */
    private int cadences(long interval) {
        if (cadenceMs == MONTHLY) {
            return interval >= MIN_MONTH_MS && interval <= MAX_MONTH_MS ? 1 : 0;
        }
        if (cadenceMs <= 0 || interval <= 0) {
            return 0;
        }
        double k = (double) interval / cadenceMs;
        long whole = Math.round(k);
        return whole >= 1 && whole < Integer.MAX_VALUE && Math.abs(k - whole) <= TOLERANCE * whole ? (int) whole : 0;
    }

    private void startCadence(long interval) {
        active = -1;
        candidateCount = 0;
        regularShare = 0;
        intervals = 0;
        if (interval <= 0) {
            cadenceMs = 0;
            return;
        }
        if (interval >= MIN_MONTH_MS && interval <= MAX_MONTH_MS) {
            cadenceMs = MONTHLY;
            candidates[candidateCount++] = new Candidate(Cycle.YEAR, 0, 12, 0, Math.max(12, maxBins));
            return;
        }
        cadenceMs = interval;
        // A sensor with a day (readings more often than daily) tries its week as the day's shape plus what each day
        // of the week adds to it: that holds any weekly profile, a weekly one alone too.
        if (addCandidate(Cycle.DAY, DAY_MS, 0)) {
            addCandidate(Cycle.DAY_AND_WEEK, WEEK_MS, (int) (DAY_MS / cadenceMs));
        } else {
            addCandidate(Cycle.WEEK, WEEK_MS, 0);
        }
    }

    private boolean addCandidate(Cycle cycle, long periodMs, int dayLength) {
        if (periodMs % cadenceMs != 0 || periodMs / cadenceMs < 2
                || periodMs / cadenceMs > (long) MAX_READINGS_PER_BIN * maxBins) {
            return false;
        }
        candidates[candidateCount++] = new Candidate(cycle, periodMs, (int) (periodMs / cadenceMs), dayLength,
                maxBins);
        return true;
    }

    private void learn(Candidate c, boolean oneStep, long previousTimestamp, double previousValue, long timestamp,
                       double value) {
        c.readings++;
        if (c.profile == null) {
            if (c.readings >= c.retryAt) {
                c.profile = new float[c.storedBins()];
                c.readings = 1;
                c.scored = 0;
                c.level = 0;
                c.rawSquares = 0;
                c.adjustedSquares = 0;
                c.lagProducts = 0;
                c.deviationSquares = 0;
                c.lastDeviation = 0;
            } else {
                return;
            }
        }
        long slot = cadenceMs == MONTHLY ? monthOfYear(timestamp) : slot(c, timestamp);
        int b = (int) (slot / c.binSize);
        double adjusted = value - at(c, slot);
        // Scored from the third season on: in the first a phase not seen yet has no offset to take out, and in the
        // second the profile is still mostly the first season's noise.
        long scored = c.readings - (long) SCORED_FROM_SEASON * c.length;
        if (oneStep && scored > 0) {
            c.scored++;
            double rawStep = value - previousValue;
            long previousSlot = cadenceMs == MONTHLY ? monthOfYear(previousTimestamp) : slot(c, previousTimestamp);
            double adjustedStep = adjusted - (previousValue - at(c, previousSlot));
            double rate = Math.max(1.0 / scored, 1.0 / Math.max(100, 2 * c.length));
            c.rawSquares += rate * (rawStep * rawStep - c.rawSquares);
            c.adjustedSquares += rate * (adjustedStep * adjustedStep - c.adjustedSquares);
            double deviation = adjusted - c.level;
            c.lagProducts += rate * (c.lastDeviation * deviation - c.lagProducts);
            c.deviationSquares += rate * (c.lastDeviation * c.lastDeviation - c.deviationSquares);
        }
        c.lastDeviation = adjusted - c.level;
        c.level += Math.max(1.0 / c.readings, 1.0 / c.length) * (adjusted - c.level);
        double rate = Math.max(1.0 / ((c.readings - 1) / c.length + 1), PROFILE_RATE) / c.binSize;
        int d = b;
        if (c.dayLength == 0) {
            c.profile[b] += (float) (rate * ((value - c.level) - c.profile[b]));
        } else {
            // Day and week: the day's shape learns from each day (its own memory of about five days), the week's
            // from what each day of the week adds to it (about five weeks), as in Taylor's double seasonal
            // Holt-Winters. A half-hourly sensor's week of 336 readings alone learns each phase once a week, so
            // its profile is mostly noise for weeks; the day's 48 learn seven times as often.
            long daySlot = slot % c.dayLength;
            d = c.bins + (int) (daySlot / c.dayBinSize);
            double dayRate = Math.max(1.0 / ((c.readings - 1) / c.dayLength + 1), PROFILE_RATE) / c.dayBinSize;
            double week = at(c.profile, 0, c.bins, c.binSize, slot);
            c.profile[d] += (float) (dayRate * ((value - c.level - week) - c.profile[d]));
            double day = at(c.profile, c.bins, c.dayBins, c.dayBinSize, daySlot);
            c.profile[b] += (float) (rate * ((value - c.level - day) - c.profile[b]));
        }
        if (!Float.isFinite(c.profile[b]) || !Float.isFinite(c.profile[d]) || !Double.isFinite(c.level)) {
            drop(c);
        }
    }

    /** The confirmed candidate with the smallest adjusted error becomes the season; unconfirmed ones drop out. */
    private void choose() {
        int best = -1;
        boolean regular = isRegular();
        for (int i = 0; i < candidateCount; i++) {
            Candidate c = candidates[i];
            if (c.profile == null) {
                continue;
            }
            boolean confirmed = c.scored >= minScored(c) && c.ratio() <= (i == active ? KEEP : CONFIRM);
            if (confirmed && regular && (best < 0 || c.adjustedSquares < candidates[best].adjustedSquares)) {
                best = i;
            }
            if (!confirmed && i != active && c.seasons() >= TRIAL_SEASONS) {
                drop(c);
            }
        }
        active = best;
    }

    /**
     * The scored readings before a candidate may be confirmed: three seasons, at least {@value #MIN_SCORED} (the ratio
     * of two mean squares over m readings is uncertain by about sqrt(2 / m) of itself: a daily sensor's week once
     * confirmed on its first few scored readings).
     */
    private static long minScored(Candidate c) {
        return Math.max(MIN_SCORED, 3L * c.length);
    }

    private void drop(Candidate c) {
        c.profile = null;
        c.scored = 0;
        c.retryAt = c.readings + (long) RETRY_SEASONS * c.length;
        c.level = 0;
        c.rawSquares = 0;
        c.adjustedSquares = 0;
        c.lagProducts = 0;
        c.deviationSquares = 0;
        c.lastDeviation = 0;
    }

    /** A timestamp's reading slot in the cycle (UTC): its place in the period, rounded to the nearest cadence. */
    private long slot(Candidate c, long timestamp) {
        return Math.floorDiv(Math.floorMod(timestamp, c.periodMs) + cadenceMs / 2, cadenceMs) % c.length;
    }

    /**
     * The month of the year (0: January) of an epoch millisecond in UTC, by the civil-from-days algorithm (Howard
     * Hinnant's), which allocates nothing.
     */
    static int monthOfYear(long epochMs) {
        long z = Math.floorDiv(epochMs, DAY_MS) + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        return (int) month - 1;
    }

    /** Forgets everything. */
    public void clear() {
        cadenceMs = 0;
        regularShare = 0;
        intervals = 0;
        candidateCount = 0;
        active = -1;
    }

    /** The bytes {@link #write} writes. */
    public int bytes() {
        int n = 8 + 4 + 4 + 1 + 1;
        for (int i = 0; i < candidateCount; i++) {
            Candidate c = candidates[i];
            n += 4 + (c.profile == null ? 4 : 8 + 4 + 8 + 4 + 4 + 12 + 4 * c.storedBins());
        }
        return n;
    }

    /**
     * Layout: cadence (long), regular share (float), intervals (int), active candidate (byte, -1 none), candidates
     * (byte); per candidate (in the order the cadence makes them) its bins (int), then for a dropped profile (bins 0)
     * the readings until it is tried again (int), else the readings seen (long), the readings scored (int), the level
     * (double), the raw and adjusted mean squared steps (floats) and the profile: 8 bytes per dropped candidate, so a
     * sensor without a season keeps 34 at most.
     */
    public void write(ByteBuffer buffer) {
        buffer.putLong(cadenceMs).putFloat(regularShare).putInt(intervals).put((byte) active)
                .put((byte) candidateCount);
        for (int i = 0; i < candidateCount; i++) {
            Candidate c = candidates[i];
            if (c.profile == null) {
                buffer.putInt(0).putInt((int) Math.max(0, Math.min(Integer.MAX_VALUE, c.retryAt - c.readings)));
                continue;
            }
            buffer.putInt(c.storedBins()).putLong(c.readings).putInt((int) Math.min(Integer.MAX_VALUE, c.scored))
                    .putDouble(c.level).putFloat((float) c.rawSquares).putFloat((float) c.adjustedSquares)
                    .putFloat((float) c.lagProducts).putFloat((float) c.deviationSquares)
                    .putFloat((float) c.lastDeviation);
            for (float v : c.profile) {
                buffer.putFloat(v);
            }
        }
    }

    /** Reads what {@link #write} wrote; a profile stored with other bins (max-bins changed) starts that season over. */
    public void read(ByteBuffer buffer) {
        clear();
        long cadence = buffer.getLong();
        float share = buffer.getFloat();
        int seen = buffer.getInt();
        int storedActive = buffer.get();
        int storedCount = buffer.get();
        if (cadence != 0 && maxBins > 0) {
            startCadence(cadence == MONTHLY ? 30 * DAY_MS : cadence);
        }
        regularShare = share;
        intervals = seen;
        boolean activeRestored = false;
        for (int i = 0; i < storedCount; i++) {
            int bins = buffer.getInt();
            Candidate c = i < candidateCount ? candidates[i] : null;
            if (bins == 0) {
                int untilRetry = buffer.getInt();
                if (c != null) {
                    drop(c);
                    c.readings = 0;
                    c.retryAt = untilRetry;
                }
                continue;
            }
            long readings = buffer.getLong();
            int scored = buffer.getInt();
            double level = buffer.getDouble();
            double raw = buffer.getFloat();
            double adjusted = buffer.getFloat();
            double lagProducts = buffer.getFloat();
            double deviationSquares = buffer.getFloat();
            double lastDeviation = buffer.getFloat();
            float[] profile = new float[bins];
            for (int k = 0; k < bins; k++) {
                profile[k] = buffer.getFloat();
            }
            if (c == null || bins != c.storedBins()) {
                continue; // another bin budget: this candidate starts over
            }
            activeRestored |= i == storedActive;
            c.readings = readings;
            c.scored = scored;
            c.level = level;
            c.rawSquares = raw;
            c.adjustedSquares = adjusted;
            c.lagProducts = lagProducts;
            c.deviationSquares = deviationSquares;
            c.lastDeviation = lastDeviation;
            c.profile = profile;
        }
        active = activeRestored && storedActive < candidateCount && candidates[storedActive].profile != null
                ? storedActive : -1;
    }
}
