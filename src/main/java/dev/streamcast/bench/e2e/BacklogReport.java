package dev.streamcast.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What {@code streamcast bench backlog} shows: a small table and the same figures as JSON. */
public final class BacklogReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "%-52s %20s  %s%n";

    private BacklogReport() {
    }

    /** The name of the peer that ran. */
    private static String peerName(BacklogResult r) {
        return r.settings().peer().kind().title();
    }

    /** The human table. */
    public static String formatTable(BacklogResult r) {
        BacklogSettings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "backlog: %,d readings (%s) over %,d sensors preloaded; a fresh "
                + "service JVM drains them (broker in a process of its own)%n", s.readings(), input(s), s.sensors()));
        BacklogService how = s.service();
        sb.append(String.format(Locale.ROOT, "model: %s%n", how.model() == null
                ? "the seed, trained by streamcast train" : how.model() + ", window.length=" + how.windowLength()
                        + (how.features() == null ? "" : ", model.features=" + how.features())));
        if (!how.settings().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "settings: %s%n", String.join(" ", how.settings())));
        }
        row(sb, "  streamcast drain", String.format(Locale.ROOT, "%,.0f readings/s", r.readingsPerSecond()),
                String.format(Locale.ROOT, "(%,d readings in %.1f s from the first commit)", r.drainedReadings(),
                        r.seconds()));
        row(sb, "  service start to its first commit", String.format(Locale.ROOT, "%.1f s", r.startupSeconds()), "");
        BacklogStart start = r.start();
        row(sb, String.format(Locale.ROOT, "  first %.0f s from the first commit", start.windowSeconds()),
                String.format(Locale.ROOT, "%,.0f readings/s", start.startRps()),
                String.format(Locale.ROOT, "(%.2f of the rest's, %,.0f readings/s)", start.startToSteady(),
                        start.steadyRps()));
        row(sb, "  service CPU per reading, first / rest: JIT", us(start.start().jitUs()) + " / "
                + us(start.steady().jitUs()), "(compiler threads)");
        row(sb, "    garbage collector", us(start.start().gcUs()) + " / " + us(start.steady().gcUs()), "");
        row(sb, "    the rest", us(start.start().otherUs()) + " / " + us(start.steady().otherUs()),
                "(stream threads, producers, trainer)");
        StringBuilder steps = new StringBuilder();
        for (double rps : start.stepRps()) {
            steps.append(steps.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%,.0f", rps));
        }
        sb.append(String.format(Locale.ROOT, "  readings/s per 10 s from the first commit: %s%n", steps));
        row(sb, "  CPU per reading: service process", us(r.serviceCpuUsPerReading()), "(over the drain)");
        row(sb, "  CPU per reading: broker process", us(r.brokerCpuUsPerReading()), "(over the drain)");
        row(sb, "  CPU per reading: both", us(r.cpuUsPerReading()), "");
        sb.append(String.format(Locale.ROOT, "  bytes on disk per reading (du), by topic the service wrote%n"));
        r.diskBytes().keySet().forEach(topic -> row(sb, "    " + topic,
                String.format(Locale.ROOT, "%.1f", r.bytesPerReading(topic)),
                String.format(Locale.ROOT, "(records %.1f)", r.logBytesPerReading(topic))));
        row(sb, "    all of them (changelogs included)", String.format(Locale.ROOT, "%.1f", r.bytesPerReading()),
                String.format(Locale.ROOT, "(records %.1f, as compressed)", r.logBytesPerReading()));
        if (r.peer() != null) {
            row(sb, "  peer: " + peerName(r), String.format(Locale.ROOT, "%,.0f readings/s", r.peer().rps()),
                    String.format(Locale.ROOT, "(%,d forecasts in %.1f s, the same readings first)",
                            r.peer().forecasts(), r.peer().seconds()));
            row(sb, "  streamcast / peer", String.format(Locale.ROOT, "%.2f", r.ratioToPeer()), "");
        }
        sb.append(String.format(Locale.ROOT, "CPU taken by other processes during the drain: %s of the machine%n",
                Double.isNaN(r.otherCpuShare()) ? "unknown" : String.format(Locale.ROOT, "%.0f%%",
                        100 * r.otherCpuShare())));
        if (r.otherCpuShare() > EndToEndResult.DISTURBED_CPU_SHARE) {
            sb.append("(DISTURBED: the figures understate the service; compare only figures from one run, or run "
                    + "again on a quiet machine)").append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String input(BacklogSettings s) {
        return s.json() ? "JSON with timestamps" : "plain numbers";
    }

    private static void row(StringBuilder sb, String name, String result, String note) {
        sb.append(String.format(Locale.ROOT, FORMAT, name, result, note));
    }

    private static String us(double value) {
        return Double.isNaN(value) ? "unknown" : String.format(Locale.ROOT, "%.1f us", value);
    }

    /**
     * The figures as a JSON object: readings_per_s, service_cpu_us_per_reading, broker_cpu_us_per_reading and their
     * sum cpu_us_per_reading, bytes_per_reading (all topics, du) and bytes_per_reading_by_topic, the same of the
     * records alone (record_bytes_per_reading, record_bytes_per_reading_by_topic); the drain's seconds and
     * readings, the service's startup_s, other_processes_cpu_share, the load (readings, sensors, input), the start
     * (start_window_s, start_readings_per_s, steady_readings_per_s, start_to_steady, the service's CPU per reading
     * by kind of thread in the window and after it, start_cpu_us_per_reading and steady_cpu_us_per_reading with jit,
     * gc and other each, and readings_per_s_per_10s), and the peer's figures and the ratio (null without the peer).
     */
    public static String toJson(BacklogResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("readings_per_s", r.readingsPerSecond());
        node.put("service_cpu_us_per_reading", r.serviceCpuUsPerReading());
        node.put("broker_cpu_us_per_reading", r.brokerCpuUsPerReading());
        node.put("cpu_us_per_reading", r.cpuUsPerReading());
        node.put("bytes_per_reading", r.bytesPerReading());
        ObjectNode byTopic = node.putObject("bytes_per_reading_by_topic");
        r.diskBytes().keySet().forEach(topic -> byTopic.put(topic, r.bytesPerReading(topic)));
        node.put("record_bytes_per_reading", r.logBytesPerReading());
        ObjectNode recordsByTopic = node.putObject("record_bytes_per_reading_by_topic");
        r.logBytes().keySet().forEach(topic -> recordsByTopic.put(topic, r.logBytesPerReading(topic)));
        node.put("seconds", r.seconds());
        node.put("drained_readings", r.drainedReadings());
        node.put("startup_s", r.startupSeconds());
        node.put("other_processes_cpu_share", r.otherCpuShare());
        node.put("readings", r.settings().readings());
        node.put("sensors", r.settings().sensors());
        node.put("input", r.settings().json() ? "json" : "number");
        BacklogStart start = r.start();
        node.put("start_window_s", start.windowSeconds());
        node.put("start_readings_per_s", start.startRps());
        node.put("steady_readings_per_s", start.steadyRps());
        node.put("start_to_steady", start.startToSteady());
        cpuSplit(node.putObject("start_cpu_us_per_reading"), start.start());
        cpuSplit(node.putObject("steady_cpu_us_per_reading"), start.steady());
        var steps = node.putArray("readings_per_s_per_10s");
        for (double rps : start.stepRps()) {
            steps.add(rps);
        }
        if (r.peer() == null) {
            node.putNull("peer");
            node.putNull("streamcast_to_peer");
        } else {
            ObjectNode peer = node.putObject("peer");
            peer.put("name", peerName(r));
            peer.put("readings_per_s", r.peer().rps());
            peer.put("forecasts", r.peer().forecasts());
            peer.put("seconds", r.peer().seconds());
            node.put("streamcast_to_peer", r.ratioToPeer());
        }
        try {
            return JSON.writeValueAsString(node) + System.lineSeparator();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark figures as JSON", e);
        }
    }

    private static void cpuSplit(ObjectNode node, BacklogStart.CpuSplit split) {
        node.put("jit", split.jitUs());
        node.put("gc", split.gcUs());
        node.put("other", split.otherUs());
    }

    /** Writes {@link #toJson} to {@code file}, replacing it. */
    public static void writeJson(BacklogResult r, Path file) throws IOException {
        Files.writeString(file, toJson(r));
    }
}
