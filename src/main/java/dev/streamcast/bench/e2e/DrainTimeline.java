package dev.streamcast.bench.e2e;

import java.util.Arrays;

/**
 * A drain's progress over time, from the service group's first commit: the readings committed since it at each
 * poll, and the service process's CPU by kind of thread ({@link ThreadCpu}) about once a second. It answers issue
 * 27's question about a fresh service: how fast the first minute under a backlog runs against the rest of the drain,
 * and where that minute's CPU goes (the JIT compiler, the garbage collector, the rest).
 */
final class DrainTimeline {

    /** The start window: the first minute, or the first half of a drain shorter than two minutes. */
    static final long START_WINDOW_NS = 60_000_000_000L;
    /** How often the threads' CPU is read: /proc holds a file per thread, too many to read every poll. */
    private static final long THREAD_SAMPLE_NS = 1_000_000_000L;
    /** The rates of the timeline reported, per step of this length. */
    static final long STEP_NS = 10_000_000_000L;

    private long[] nanos = new long[1024];
    private long[] committed = new long[1024];
    private int size;
    private long[] threadNanos = new long[128];
    private ThreadCpu.Sample[] threads = new ThreadCpu.Sample[128];
    private int threadSize;

    /**
     * Adds a poll: {@code nanos} since the first commit, {@code readings} committed since it, and, at most once a
     * second and always at the first and the last poll, the threads' CPU from {@code sampler}.
     */
    void add(long sinceFirst, long readings, boolean last, java.util.function.Supplier<ThreadCpu.Sample> sampler) {
        if (size > 0 && sinceFirst < nanos[size - 1]) {
            throw new IllegalArgumentException("polls must come in order: " + sinceFirst + " after "
                    + nanos[size - 1]);
        }
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
            committed = Arrays.copyOf(committed, size * 2);
        }
        nanos[size] = sinceFirst;
        committed[size] = readings;
        size++;
        if (threadSize == 0 || last || sinceFirst - threadNanos[threadSize - 1] >= THREAD_SAMPLE_NS) {
            if (threadSize == threadNanos.length) {
                threadNanos = Arrays.copyOf(threadNanos, threadSize * 2);
                threads = Arrays.copyOf(threads, threadSize * 2);
            }
            threadNanos[threadSize] = sinceFirst;
            threads[threadSize] = sampler.get();
            threadSize++;
        }
    }

    /** Readings committed by {@code t} ns after the first commit: linear between the polls around it. */
    double committedAt(long t) {
        if (size == 0) {
            throw new IllegalStateException("no polls");
        }
        int k = Arrays.binarySearch(nanos, 0, size, t);
        if (k >= 0) {
            return committed[k];
        }
        int after = -k - 1;
        if (after == 0) {
            return committed[0];
        }
        if (after == size) {
            return committed[size - 1];
        }
        double f = (t - nanos[after - 1]) / (double) (nanos[after] - nanos[after - 1]);
        return committed[after - 1] + f * (committed[after] - committed[after - 1]);
    }

    /**
     * The start's figures, once the last poll is in. window = min(60 s, drain / 2); startRps = committed(window) /
     * window; steadyRps = (committed(end) - committed(window)) / (end - window). The CPU split is taken between
     * thread samples: the first, the first at or after the window's end, and the last.
     */
    BacklogStart start() {
        if (size < 2 || nanos[size - 1] <= 0) {
            throw new IllegalStateException("a drain needs two polls apart in time, got " + size);
        }
        long end = nanos[size - 1];
        long window = Math.min(START_WINDOW_NS, end / 2);
        double atWindow = committedAt(window);
        double startRps = atWindow / (window / 1e9);
        double steadyRps = (committed[size - 1] - atWindow) / ((end - window) / 1e9);
        int mid = 0;
        while (mid < threadSize - 1 && threadNanos[mid] < window) {
            mid++;
        }
        BacklogStart.CpuSplit start = split(0, mid);
        BacklogStart.CpuSplit steady = split(mid, threadSize - 1);
        int steps = (int) ((end + STEP_NS - 1) / STEP_NS);
        double[] stepRps = new double[steps];
        for (int s = 0; s < steps; s++) {
            long from = s * STEP_NS;
            long to = Math.min(end, from + STEP_NS);
            stepRps[s] = (committedAt(to) - committedAt(from)) / ((to - from) / 1e9);
        }
        return new BacklogStart(window / 1e9, startRps, steadyRps, start, steady, stepRps);
    }

    /** us per reading = CPU ns between thread samples {@code from} and {@code to} / 1000 / readings between them. */
    private BacklogStart.CpuSplit split(int from, int to) {
        ThreadCpu.Sample a = threads[from];
        ThreadCpu.Sample b = threads[to];
        double readings = committedAt(threadNanos[to]) - committedAt(threadNanos[from]);
        if (from == to || !a.known() || !b.known() || readings <= 0) {
            return BacklogStart.CpuSplit.UNKNOWN;
        }
        return new BacklogStart.CpuSplit((b.jitNanos() - a.jitNanos()) / 1e3 / readings,
                (b.gcNanos() - a.gcNanos()) / 1e3 / readings, (b.otherNanos() - a.otherNanos()) / 1e3 / readings);
    }
}
