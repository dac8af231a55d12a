package dev.streamcast.bench.e2e;

import java.util.Map;

/**
 * The figures of {@code streamcast bench backlog}.
 *
 * @param drainedReadings readings committed after the service's first commit: the ones {@code seconds} timed
 * @param seconds         from the service group's first commit to its committed offsets reaching the end
 * @param startupSeconds  from starting the service's JVM to its first commit (start, restore, first batch)
 * @param serviceCpuNanos CPU time of the service's process over {@code seconds}
 * @param brokerCpuNanos  CPU time of the broker's process over {@code seconds}
 * @param otherCpuShare   the share of the machine's CPU (0 to 1) processes other than the benchmark's took over
 *                        {@code seconds} (a build, another test), NaN when unknown: a busy machine understates
 * @param diskBytes       by topic the service wrote (changelogs included): the disk its partitions' folders take
 *                        in the broker's log directory, as du counts it ({@link DiskUsage})
 * @param logBytes        the same topics' records as the broker counts them ({@link LogSizes})
 * @param peer            the Node.js peer's drain of the same readings, or null when it did not run
 * @param start           the first minute's rate from the first commit beside the rest's, and their CPU by kind
 */
public record BacklogResult(BacklogSettings settings, long drainedReadings, double seconds, double startupSeconds,
                            long serviceCpuNanos, long brokerCpuNanos, double otherCpuShare,
                            Map<String, Long> diskBytes, Map<String, Long> logBytes,
                            PeerResult peer, BacklogStart start) {

    /** readings/s = readings committed after the first commit / seconds from it to the last. */
    public double readingsPerSecond() {
        return drainedReadings / seconds;
    }

    /** us per reading = the service process's CPU ns over the drain / 1000 / readings drained. */
    public double serviceCpuUsPerReading() {
        return serviceCpuNanos < 0 ? Double.NaN : serviceCpuNanos / 1e3 / drainedReadings;
    }

    /** us per reading = the broker process's CPU ns over the drain / 1000 / readings drained. */
    public double brokerCpuUsPerReading() {
        return brokerCpuNanos < 0 ? Double.NaN : brokerCpuNanos / 1e3 / drainedReadings;
    }

    /** The service's and the broker's together: the CPU the machine spends per reading. */
    public double cpuUsPerReading() {
        return serviceCpuUsPerReading() + brokerCpuUsPerReading();
    }

    /** bytes per reading of a topic = its bytes on disk / readings preloaded. */
    public double bytesPerReading(String topic) {
        return diskBytes.getOrDefault(topic, 0L) / (double) settings.readings();
    }

    /** The same over every topic the service wrote. */
    public double bytesPerReading() {
        return diskBytes.values().stream().mapToLong(Long::longValue).sum() / (double) settings.readings();
    }

    /** bytes per reading of a topic's records = their bytes as the broker counts them / readings preloaded. */
    public double logBytesPerReading(String topic) {
        return logBytes.getOrDefault(topic, 0L) / (double) settings.readings();
    }

    /** The same over every topic the service wrote. */
    public double logBytesPerReading() {
        return logBytes.values().stream().mapToLong(Long::longValue).sum() / (double) settings.readings();
    }

    /** Streamcast's rate / the peer's rate; NaN without the peer. */
    public double ratioToPeer() {
        return peer == null ? Double.NaN : readingsPerSecond() / peer.rps();
    }
}
