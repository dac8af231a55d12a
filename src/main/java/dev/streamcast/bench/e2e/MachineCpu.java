package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The whole machine's CPU time, from Linux's {@code /proc/stat}, so the backlog benchmark can say how much of the
 * machine other processes took while it measured: its broker and service are processes of their own, which the
 * per-JVM {@link CpuMonitor} does not see.
 */
final class MachineCpu {

    /** /proc/stat counts in clock ticks of USER_HZ, which Linux fixes at 100 per second for it. */
    private static final long TICK_NS = 10_000_000L;
    private static final Path STAT = Path.of("/proc/stat");

    /** Busy and total CPU ticks of all cores together since boot. */
    record Sample(long busyTicks, long totalTicks) {
    }

    private MachineCpu() {
    }

    /** The machine's CPU ticks now, or null where /proc/stat is not readable. */
    static Sample sample() {
        try {
            return parse(Files.readAllLines(STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads the first line of /proc/stat, {@code cpu user nice system idle iowait irq softirq steal [guest
     * guest_nice]}: busy = user + nice + system + irq + softirq + steal (guest time is already in user and nice);
     * total = busy + idle + iowait.
     *
     * @throws IllegalArgumentException if the line is not the machine's cpu line
     */
    static Sample parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 9 || !fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        }
        long[] t = Arrays.stream(fields, 1, 9).mapToLong(Long::parseLong).toArray();
        long busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
        return new Sample(busy, busy + t[3] + t[4]);
    }

    /**
     * The share of the machine's CPU (0 to 1, all cores together) that processes other than ours used between two
     * samples: (busy ticks x tick - our CPU ns) / (total ticks x tick), at least 0; NaN when unknown.
     */
    static double otherShare(Sample from, Sample to, long ourCpuNanos) {
        if (from == null || to == null || ourCpuNanos < 0 || to.totalTicks() <= from.totalTicks()) {
            return Double.NaN;
        }
        double busy = (to.busyTicks() - from.busyTicks()) * (double) TICK_NS;
        return Math.max(0, (busy - ourCpuNanos) / ((to.totalTicks() - from.totalTicks()) * (double) TICK_NS));
    }
}
