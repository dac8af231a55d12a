package dev.streamcast.bench.e2e;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times how fast a running application drains preloaded readings, for the throughput comparison and the pace
 * drain alike: readings per second, the CPU this JVM spent per reading, and the share of the CPU other processes
 * took meanwhile (a busy machine understates the service).
 */
final class DrainTimer {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkLog.NAME);

    /**
     * Readings per second: whole topology; until the readings alone were answered; CPU microseconds this JVM spent
     * per reading; and the share of the CPU other processes took meanwhile.
     */
    record Drained(double rps, double readingsRps, double cpuUsPerReading, double jitCpuUsPerReading,
                   double otherCpuShare) {
    }

    private final Admin admin;
    private final CpuMonitor cpu;

    DrainTimer(Admin admin, CpuMonitor cpu) {
        this.admin = admin;
        this.cpu = cpu;
    }

    /**
     * Times a drain from RUNNING until every reading is committed and, with {@code samplesTopic}, until the trainer
     * sub-topology has also consumed every training sample the readings made. The trainer runs on the same stream
     * thread and, with a backlog of readings, falls far behind (most samples are still unconsumed when the last
     * reading is answered); that backlog is work the service owes for these readings, so the rate it can sustain
     * counts it.
     */
    Drained time(String name, KafkaStreams streams, String groupId, Map<TopicPartition, Long> ends,
                 String samplesTopic, String samplesGroupId, Duration timeout) throws InterruptedException {
        long startedMs = System.currentTimeMillis();
        long started = StreamsWaits.awaitFirstThreadAssigned(streams, name);
        long cpuStarted = cpu.processCpuNanos();
        long jitStarted = CpuMonitor.compilerCpuNanos();
        Runnable alive = () -> StreamsWaits.checkAlive(streams, name);
        long readingsDone = Drain.await(admin, groupId, ends, 0, timeout, alive);
        long done = readingsDone;
        if (samplesTopic != null) {
            // Final: the transaction that committed the last reading also wrote its samples.
            Map<TopicPartition, Long> samplesEnds = Drain.endOffsets(admin, samplesTopic);
            Map<TopicPartition, Long> consumed = Drain.committed(admin, samplesGroupId, samplesEnds);
            LOG.info("{}: readings answered; the trainer is {} training samples behind", name,
                    samplesEnds.entrySet().stream().mapToLong(e -> e.getValue() - consumed.get(e.getKey())).sum());
            long slack = EndToEndResult.THROUGHPUT_GUARANTEE.equals(EndToEndResult.AT_LEAST_ONCE) ? 0 : 1;
            done = Drain.await(admin, samplesGroupId, samplesEnds, slack, timeout, alive);
        }
        long cpuUsed = cpu.processCpuNanos() - cpuStarted;
        long jitUsed = CpuMonitor.compilerCpuNanos() - jitStarted;
        long count = ends.values().stream().mapToLong(Long::longValue).sum();
        Drained drain = new Drained(count / ((done - started) / 1e9), count / ((readingsDone - started) / 1e9),
                cpuStarted < 0 ? Double.NaN : cpuUsed / 1e3 / count,
                jitStarted < 0 ? Double.NaN : jitUsed / 1e3 / count,
                cpu.otherShare(startedMs, System.currentTimeMillis()));
        // The JIT's share: a drain that still compiles measures a warm-up, not the steady state.
        LOG.info("{} topology drained {} readings in {} s: {} readings/s (readings alone answered in {} s), {} us of "
                        + "CPU per reading ({} us of it the JIT compiler's); other processes took {}% of the CPU "
                        + "meanwhile",
                name, count, String.format(Locale.ROOT, "%.2f", (done - started) / 1e9), Math.round(drain.rps()),
                String.format(Locale.ROOT, "%.2f", (readingsDone - started) / 1e9),
                String.format(Locale.ROOT, "%.1f", drain.cpuUsPerReading()),
                String.format(Locale.ROOT, "%.1f", drain.jitCpuUsPerReading()),
                Math.round(100 * drain.otherCpuShare()));
        return drain;
    }
}
