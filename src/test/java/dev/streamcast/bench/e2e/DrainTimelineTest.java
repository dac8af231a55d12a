package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The backlog's timeline: the start window's rate beside the rest's, the CPU split, and the threads' /proc lines. */
@Tag("unit")
class DrainTimelineTest {

    private static final long S = 1_000_000_000L;

    /** A drain of 180 s polled each 0.5 s: 10,000 readings/s for the first 60 s, 30,000/s after. */
    private static DrainTimeline slowStart(Deque<ThreadCpu.Sample> samples) {
        DrainTimeline t = new DrainTimeline();
        for (long ms = 0; ms <= 180_000; ms += 500) {
            long readings = ms <= 60_000 ? ms * 10 : 600_000 + (ms - 60_000) * 30;
            long at = ms;
            t.add(ms * 1_000_000, readings, ms == 180_000, () -> {
                // JIT 1 s of CPU per second in the first minute, none after; GC 0.1 s/s; the rest 0.5 s/s.
                long jit = Math.min(at, 60_000) * 1_000_000;
                ThreadCpu.Sample s = new ThreadCpu.Sample(jit, at * 100_000, at * 500_000);
                samples.add(s);
                return s;
            });
        }
        return t;
    }

    @Test
    void theFirstMinutesRateStandsBesideTheRestsAndTheCpuIsSplitThere() {
        Deque<ThreadCpu.Sample> samples = new ArrayDeque<>();
        BacklogStart start = slowStart(samples).start();
        assertEquals(60, start.windowSeconds(), 1e-9);
        assertEquals(10_000, start.startRps(), 1e-9);
        assertEquals(30_000, start.steadyRps(), 1e-9);
        assertEquals(1 / 3.0, start.startToSteady(), 1e-9);
        // once a second, not each poll: 181 samples over 180 s
        assertEquals(181, samples.size());
        // first minute: 60 s of JIT CPU over 600,000 readings = 100 us each; 0.1 s/s of GC over 10,000/s = 10 us
        assertEquals(100, start.start().jitUs(), 1e-9);
        assertEquals(10, start.start().gcUs(), 1e-9);
        assertEquals(50, start.start().otherUs(), 1e-9);
        assertEquals(0, start.steady().jitUs(), 1e-9);
        assertEquals(0.1e9 / 1e3 / 30_000, start.steady().gcUs(), 1e-9);
        double[] steps = start.stepRps();
        assertEquals(18, steps.length);
        assertEquals(10_000, steps[0], 1e-9);
        assertEquals(30_000, steps[17], 1e-9);
    }

    @Test
    void aDrainShorterThanTwoMinutesIsSplitInHalves() {
        DrainTimeline t = new DrainTimeline();
        t.add(0, 0, false, () -> ThreadCpu.Sample.UNKNOWN);
        t.add(10 * S, 100_000, false, () -> ThreadCpu.Sample.UNKNOWN);
        t.add(25 * S, 400_000, true, () -> ThreadCpu.Sample.UNKNOWN);
        BacklogStart start = t.start();
        assertEquals(12.5, start.windowSeconds(), 1e-9);
        // at 12.5 s: 100,000 + 2.5 / 15 of 300,000 = 150,000, linear between the polls
        assertEquals(150_000 / 12.5, start.startRps(), 1e-9);
        assertEquals(250_000 / 12.5, start.steadyRps(), 1e-9);
        assertTrue(Double.isNaN(start.start().jitUs()), "" + start);
        assertArrayEquals(new double[] {10_000, 20_000, 20_000}, start.stepRps(), 1e-9);
    }

    @Test
    void pollsOutOfOrderOrTooFewAreRefused() {
        DrainTimeline t = new DrainTimeline();
        assertThrows(IllegalStateException.class, t::start);
        t.add(5 * S, 10, false, () -> ThreadCpu.Sample.UNKNOWN);
        assertThrows(IllegalArgumentException.class, () -> t.add(S, 20, false, () -> ThreadCpu.Sample.UNKNOWN));
        assertThrows(IllegalStateException.class, t::start);
    }

    @Test
    void aThreadsKindAndCpuComeFromItsProcStatLine() {
        String c2 = "4242 (C2 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kind(c2));
        assertEquals((1234 + 56) * 10_000_000L, ThreadCpu.cpuNanos(c2));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kind("7 (GC Thread#1) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0"));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kind("7 (VM Thread) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0"));
        // a name with spaces and parentheses of its own
        String stream = "9 (kafka (x) send) R 1 1 1 0 -1 0 0 0 0 0 7 3 0 0";
        assertEquals(ThreadCpu.Kind.OTHER, ThreadCpu.kind(stream));
        assertEquals(10 * 10_000_000L, ThreadCpu.cpuNanos(stream));
        ThreadCpu.Sample self = ThreadCpu.sample(ProcessHandle.current().pid());
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertTrue(self.known() && self.otherNanos() > 0, "" + self);
        }
        assertTrue(!ThreadCpu.sample(Long.MAX_VALUE).known());
    }
}
