package dev.streamcast.bench.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM process's CPU time by kind of thread, from Linux's {@code /proc/PID/task/TID/stat}, so the backlog
 * benchmark can say where a service's start goes: the JIT compiler's threads ({@code C1 CompilerThre},
 * {@code C2 CompilerThre}), the garbage collector's and the VM thread ({@code GC Thread#}, {@code G1 ...},
 * {@code VM Thread}), and the rest (the stream threads, the producers' senders, the trainer): the process's total
 * ({@code /proc/PID/stat}, which keeps the CPU of threads that ended) less the other two. A compiler thread that ended
 * between two samples (the JVM stops idle ones it added) takes its CPU out of the JIT's figure into the rest's.
 */
final class ThreadCpu {

    /** /proc counts in clock ticks of USER_HZ, which Linux fixes at 100 per second for it. */
    private static final long TICK_NS = 10_000_000L;

    /** CPU ns of the live threads by kind; every field -1 when unknown. */
    record Sample(long jitNanos, long gcNanos, long otherNanos) {

        static final Sample UNKNOWN = new Sample(-1, -1, -1);

        boolean known() {
            return jitNanos >= 0;
        }
    }

    private ThreadCpu() {
    }

    /** The threads of process {@code pid} now; {@link Sample#UNKNOWN} where /proc is not readable. */
    static Sample sample(long pid) {
        long jit = 0;
        long gc = 0;
        long total;
        try {
            total = cpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return Sample.UNKNOWN;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                switch (kind(stat)) {
                    case JIT -> jit += cpuNanos(stat);
                    case GC -> gc += cpuNanos(stat);
                    default -> {
                        // counted in the total
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Sample.UNKNOWN;
        }
        return new Sample(jit, gc, Math.max(0, total - jit - gc));
    }

    enum Kind { JIT, GC, OTHER }

    /** A thread's kind from its name, the stat line's second field (in parentheses, at most 15 characters). */
    static Kind kind(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return Kind.GC;
        }
        return Kind.OTHER;
    }

    /**
     * utime + stime of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line, in ns: its 14th and 15th
     * fields, counted after the name's closing parenthesis (a name may hold spaces).
     */
    static long cpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is the 3rd field (state): utime is the 14th, so fields[11]; stime fields[12].
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NS;
    }
}
