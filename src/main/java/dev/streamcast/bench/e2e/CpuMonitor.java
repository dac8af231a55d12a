package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples, twice a second, how busy the machine's CPUs are and how much of that is this JVM, so a run can say how
 * much CPU other processes took while it measured. The broker, the service and the load all run in this JVM;
 * anything else busy on the machine (a build, another test) competes with them for the same cores and makes the
 * figures worse than the service is, which the report must show rather than hide.
 */
final class CpuMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CpuMonitor.class);
    private static final long PERIOD_MS = 500;

    private final com.sun.management.OperatingSystemMXBean os;
    private final Thread thread;
    private long[] times = new long[1024];
    private double[] others = new double[1024];
    private int size;
    private volatile boolean stopped;

    private CpuMonitor(com.sun.management.OperatingSystemMXBean os) {
        this.os = os;
        this.thread = new Thread(this::sample, "streamcast-e2e-cpu-monitor");
        thread.setDaemon(true);
    }

    /** Starts sampling; on a JVM without the com.sun.management extension the shares are unknown (NaN). */
    static CpuMonitor start() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            LOG.warn("this JVM does not report CPU load; the share of other processes will be unknown");
            return new CpuMonitor(null);
        }
        CpuMonitor monitor = new CpuMonitor(os);
        monitor.thread.start();
        return monitor;
    }

    private void sample() {
        while (!stopped) {
            double machine = os.getCpuLoad();
            double jvm = os.getProcessCpuLoad();
            if (machine >= 0 && jvm >= 0) {
                add(System.currentTimeMillis(), Math.max(0, machine - jvm));
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                // close() interrupts to end the sleep; the loop then sees stopped.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void add(long time, double other) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            others = Arrays.copyOf(others, size * 2);
        }
        times[size] = time;
        others[size] = other;
        size++;
    }

    /**
     * The mean share of the machine's CPU (0 to 1, all cores together) that other processes used between
     * {@code fromMs} and {@code toMs} (wall clock); NaN when unknown.
     */
    synchronized double otherShare(long fromMs, long toMs) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < size; k++) {
            // A sample covers the period before it.
            if (times[k] > fromMs && times[k] <= toMs + PERIOD_MS) {
                sum += others[k];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * CPU time this JVM has used so far, in ns (all its threads: the broker's, the service's, the load's); -1 when
     * unknown. The CPU a drain costs changes less than its rate when other processes compete for the cores.
     */
    long processCpuNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    /**
     * CPU time the JIT's compiler threads of this JVM have used so far, in ns, from Linux's per-thread accounting
     * ({@code /proc/self/task/N/stat}, in clock ticks of 10 ms); -1 where that is not readable. A drain that still
     * compiles pays for a warm-up a long-running service pays once: the report shows that part beside the total.
     */
    static long compilerCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    // Fields after the parenthesised name: state is the 1st, utime the 12th, stime the 13th.
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException e) {
                    // A thread that ended meanwhile: its time is no longer counted by anyone.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10_000_000L;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the CPU monitor", e);
        }
    }
}
