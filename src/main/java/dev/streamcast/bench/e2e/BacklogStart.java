package dev.streamcast.bench.e2e;

import java.util.Arrays;

/**
 * How a fresh service starts on a backlog ({@code bench backlog}, issue 27's "fast start"): the first minute's rate
 * from its first committed offset against the rest of the drain's, and where the service's CPU goes in each.
 *
 * @param windowSeconds the start window: 60 s, or half the drain when it lasted less than two minutes
 * @param startRps      readings committed within the window / the window
 * @param steadyRps     readings committed after the window / the time from its end to the drain's
 * @param start         the service process's CPU per reading over the window (to the first thread sample after it)
 * @param steady        the same after it
 * @param stepRps       readings/s over each 10 s of the drain from its first commit, the last step shorter
 */
public record BacklogStart(double windowSeconds, double startRps, double steadyRps, CpuSplit start,
                           CpuSplit steady, double[] stepRps) {

    /** The service process's CPU microseconds per reading over a part of the drain, by kind of thread (ThreadCpu). */
    public record CpuSplit(double jitUs, double gcUs, double otherUs) {

        static final CpuSplit UNKNOWN = new CpuSplit(Double.NaN, Double.NaN, Double.NaN);

        /** All three together. */
        public double totalUs() {
            return jitUs + gcUs + otherUs;
        }
    }

    public BacklogStart {
        stepRps = stepRps.clone();
    }

    /** startRps / steadyRps: issue 27 asks for at least 0.5. */
    public double startToSteady() {
        return startRps / steadyRps;
    }

    @Override
    public double[] stepRps() {
        return stepRps.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BacklogStart b && windowSeconds == b.windowSeconds && startRps == b.startRps
                && steadyRps == b.steadyRps && start.equals(b.start) && steady.equals(b.steady)
                && Arrays.equals(stepRps, b.stepRps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(stepRps) + Double.hashCode(startRps);
    }

    @Override
    public String toString() {
        return "BacklogStart[windowSeconds=" + windowSeconds + ", startRps=" + startRps + ", steadyRps=" + steadyRps
                + ", start=" + start + ", steady=" + steady + ", stepRps=" + Arrays.toString(stepRps) + "]";
    }
}
