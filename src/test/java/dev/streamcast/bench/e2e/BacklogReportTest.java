package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pieces of {@code bench backlog} that do no I/O: the peer's report, the settings, the figures and the report. */
@Tag("unit")
class BacklogReportTest {

    private static final BacklogSettings LOAD = new BacklogSettings(1_000_000, 1_000, true,
            Path.of("streamcast.jar"), null);
    private static final BacklogSettings LOAD_WITH_PEER = new BacklogSettings(1_000_000, 1_000, true,
            Path.of("streamcast.jar"), BacklogPeer.python(Path.of("peer"), "python3"));
    /** 20,000 readings/s in the first 15 s, 40,000 in the next 15; JIT 3 then 0.5 us per reading. */
    private static final BacklogStart START = new BacklogStart(15, 20_000, 40_000,
            new BacklogStart.CpuSplit(3, 1, 20), new BacklogStart.CpuSplit(0.5, 1, 15),
            new double[] {15_000, 30_000, 40_000});

    /**
     * 990,000 readings in 30 s after the first commit; 6 and 4.5 s of CPU; 200 + 100 + 50 MB on disk, of which
     * 150 + 80 + 20 MB records.
     */
    private static BacklogResult result(PeerResult peer) {
        Map<String, Long> disk = new TreeMap<>(Map.of("sensor-forecasts", 200_000_000L, "streamcast-accuracy",
                100_000_000L, "streamcast-sensor-state-changelog", 50_000_000L));
        Map<String, Long> logs = new TreeMap<>(Map.of("sensor-forecasts", 150_000_000L, "streamcast-accuracy",
                80_000_000L, "streamcast-sensor-state-changelog", 20_000_000L));
        return new BacklogResult(peer == null ? LOAD : LOAD_WITH_PEER, 990_000, 30.0, 7.5, 600_000_000_000L / 100,
                450_000_000_000L / 100, 0.05, disk, logs, peer, START);
    }

    @Test
    void thePeersReportIsItsLastLineEvenAfterItsLog() {
        PeerResult peer = PeerResult.parse("forecasts 2000\n{\"forecasts\":998000,\"seconds\":49.9,\"rps\":20000}\n\n");
        assertEquals(new PeerResult(998_000, 49.9, 20_000), peer);
    }

    @Test
    void aPeerOutputWithoutItsReportIsRefusedSayingWhatItGot() {
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> PeerResult.parse("peer failed: connect ECONNREFUSED"));
        assertTrue(notJson.getMessage().contains("ECONNREFUSED"), notJson.getMessage());
        IllegalArgumentException incomplete = assertThrows(IllegalArgumentException.class,
                () -> PeerResult.parse("{\"forecasts\":10,\"seconds\":1}"));
        assertTrue(incomplete.getMessage().contains("rps"), incomplete.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PeerResult.parse(""));
    }

    @Test
    void aLoadTooSmallToFillEverySensorsWindowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BacklogSettings(100, 50, true, Path.of("j.jar"), null));
        assertTrue(e.getMessage().contains("--readings 100") && e.getMessage().contains("150"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BacklogSettings(100, 0, false, Path.of("j.jar"), null));
        // A service setting is KEY=VALUE; a peer runs the seed, so not beside an imported model.
        assertThrows(IllegalArgumentException.class, () -> new BacklogService(List.of(), List.of("=lz4"), null, 0,
                null));
        IllegalArgumentException withModel = assertThrows(IllegalArgumentException.class,
                () -> new BacklogSettings(1_000_000, 1_000, true, Path.of("j.jar"), BacklogPeer.tfjs(Path.of("p")),
                        new BacklogService(List.of(), List.of(), Path.of("m.json"), 100, null)));
        assertTrue(withModel.getMessage().startsWith("--peer tfjs:"), withModel.getMessage());
        // The peer forecasts from each sensor's 3rd reading on.
        assertEquals(998_000, LOAD.peerForecasts());
    }

    @Test
    void figuresPerReadingDivideByTheReadingsTheyCover() {
        BacklogResult r = result(new PeerResult(998_000, 50, 20_000));
        assertEquals(33_000, r.readingsPerSecond(), 1e-9);
        // 6,000,000,000 ns of CPU over 990,000 readings
        assertEquals(6e9 / 1e3 / 990_000, r.serviceCpuUsPerReading(), 1e-9);
        assertEquals(4.5e9 / 1e3 / 990_000, r.brokerCpuUsPerReading(), 1e-9);
        // bytes are of every reading preloaded
        assertEquals(200, r.bytesPerReading("sensor-forecasts"), 1e-9);
        assertEquals(0, r.bytesPerReading("no-such-topic"), 1e-9);
        assertEquals(350, r.bytesPerReading(), 1e-9);
        assertEquals(80, r.logBytesPerReading("streamcast-accuracy"), 1e-9);
        assertEquals(250, r.logBytesPerReading(), 1e-9);
        assertEquals(1.65, r.ratioToPeer(), 1e-9);
        assertTrue(Double.isNaN(result(null).ratioToPeer()));
        BacklogResult unknownCpu = new BacklogResult(LOAD, 990_000, 30.0, 7.5, -1, -1, Double.NaN, Map.of(),
                Map.of(), null, START);
        assertTrue(Double.isNaN(unknownCpu.serviceCpuUsPerReading()));
        assertTrue(Double.isNaN(unknownCpu.brokerCpuUsPerReading()));
    }

    @Test
    void theMachinesCpuIsReadFromProcStatAndOurOwnTimeIsTakenOut() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu.Sample from = MachineCpu.parse("cpu  1000 10 200 5000 40 0 30 5 0 0");
        assertEquals(new MachineCpu.Sample(1245, 6285), from);
        MachineCpu.Sample to = MachineCpu.parse("cpu  1500 10 300 5390 40 0 40 5 100 0");
        // 610 busy ticks of 1,000: 6.1 s of 10 s; ours took 4.1 s, others 2 s: 20 %
        assertEquals(0.2, MachineCpu.otherShare(from, to, 4_100_000_000L), 1e-9);
        assertEquals(0, MachineCpu.otherShare(from, to, 7_000_000_000L), 1e-9);
        assertTrue(Double.isNaN(MachineCpu.otherShare(null, to, 0)));
        assertTrue(Double.isNaN(MachineCpu.otherShare(from, to, -1)));
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8"));
        if (java.nio.file.Files.isReadable(Path.of("/proc/stat"))) {
            MachineCpu.Sample now = MachineCpu.sample();
            assertTrue(now != null && now.busyTicks() > 0 && now.totalTicks() >= now.busyTicks(), "" + now);
        }
    }

    @Test
    void duLinesAreSummedByTheTopicOfEachPartitionFolder() {
        Map<String, Long> bytes = DiskUsage.parse("12\t/tmp/k/sensor-forecasts-0\n8\t/tmp/k/sensor-forecasts-3\n"
                + "4\t/tmp/k/streamcast-trainer-training-buffer-changelog-1\n");
        assertEquals(Map.of("sensor-forecasts", 20L * 1024, "streamcast-trainer-training-buffer-changelog", 4096L),
                bytes);
        assertThrows(IllegalArgumentException.class, () -> DiskUsage.parse("du: cannot access 'x'"));
    }

    @Test
    void theTableShowsEveryFigureEachTopicAndTheRatio() {
        String table = BacklogReport.formatTable(result(new PeerResult(998_000, 50, 20_000)));
        assertTrue(table.contains("1,000,000 readings (JSON with timestamps) over 1,000 sensors"), table);
        assertTrue(table.contains("33,000 readings/s"), table);
        assertTrue(table.contains("6.1 us") && table.contains("4.5 us"), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("streamcast-sensor-state-changelog") && l.contains("50.0")
                && l.contains("records 20.0")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("all of them") && l.contains("350.0")
                && l.contains("records 250.0")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("streamcast / peer") && l.contains("1.65")), table);
        assertTrue(table.contains("peer: python (confluent-kafka + Keras 3 on JAX)"), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("both") && l.contains("10.6 us")), table);
        assertTrue(table.contains("other processes during the drain: 5% of the machine"), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("first 15 s from the first commit")
                && l.contains("20,000 readings/s") && l.contains("0.50 of the rest's, 40,000 readings/s")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("JIT") && l.contains("3.0 us / 0.5 us")), table);
        assertTrue(table.contains("per 10 s from the first commit: 15,000 30,000 40,000"), table);
        assertTrue(!table.contains("DISTURBED"), table);
        BacklogResult busy = new BacklogResult(LOAD, 990_000, 30.0, 7.5, 1, 1, 0.4, Map.of(), Map.of(),
                null, START);
        assertTrue(BacklogReport.formatTable(busy).contains("40% of the machine\n(DISTURBED"),
                BacklogReport.formatTable(busy));
        String noPeer = BacklogReport.formatTable(result(null));
        assertTrue(!noPeer.contains("peer"), noPeer);
    }

    @Test
    void theJsonHoldsTheSameFiguresAndNullForAnAbsentPeer() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(BacklogReport.toJson(result(new PeerResult(998_000, 50, 20_000))));
        assertEquals(33_000, json.get("readings_per_s").asDouble(), 1e-9);
        assertEquals(6e9 / 1e3 / 990_000, json.get("service_cpu_us_per_reading").asDouble(), 1e-9);
        assertEquals(4.5e9 / 1e3 / 990_000, json.get("broker_cpu_us_per_reading").asDouble(), 1e-9);
        assertEquals(350, json.get("bytes_per_reading").asDouble(), 1e-9);
        assertEquals(100, json.get("bytes_per_reading_by_topic").get("streamcast-accuracy").asDouble(), 1e-9);
        assertEquals(3, json.get("bytes_per_reading_by_topic").size());
        assertEquals(250, json.get("record_bytes_per_reading").asDouble(), 1e-9);
        assertEquals(20, json.get("record_bytes_per_reading_by_topic").get("streamcast-sensor-state-changelog")
                .asDouble(), 1e-9);
        assertEquals(7.5, json.get("startup_s").asDouble(), 1e-9);
        assertEquals(10.5e9 / 1e3 / 990_000, json.get("cpu_us_per_reading").asDouble(), 1e-9);
        assertEquals(0.05, json.get("other_processes_cpu_share").asDouble(), 1e-9);
        assertEquals(990_000, json.get("drained_readings").asLong());
        assertEquals(1_000_000, json.get("readings").asLong());
        assertEquals(1_000, json.get("sensors").asInt());
        assertEquals("json", json.get("input").asText());
        assertEquals(20_000, json.get("peer").get("readings_per_s").asDouble(), 1e-9);
        assertEquals("python (confluent-kafka + Keras 3 on JAX)", json.get("peer").get("name").asText());
        assertEquals(1.65, json.get("streamcast_to_peer").asDouble(), 1e-9);
        assertEquals(15, json.get("start_window_s").asDouble(), 1e-9);
        assertEquals(20_000, json.get("start_readings_per_s").asDouble(), 1e-9);
        assertEquals(40_000, json.get("steady_readings_per_s").asDouble(), 1e-9);
        assertEquals(0.5, json.get("start_to_steady").asDouble(), 1e-9);
        assertEquals(3, json.get("start_cpu_us_per_reading").get("jit").asDouble(), 1e-9);
        assertEquals(15, json.get("steady_cpu_us_per_reading").get("other").asDouble(), 1e-9);
        assertEquals(3, json.get("readings_per_s_per_10s").size());
        JsonNode noPeer = mapper.readTree(BacklogReport.toJson(result(null)));
        assertTrue(noPeer.get("peer").isNull() && noPeer.get("streamcast_to_peer").isNull(), noPeer.toString());
    }
}
