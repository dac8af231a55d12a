package dev.streamcast.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * The fastest pace at which a service processed readings during a scenario: its {@code /metrics} counter of accepted
 * readings read every {@value #POLL_MS} ms, the largest increase over any {@value #WINDOW_MS} ms, as readings per
 * second. The counter starts again at 0 with each process; a read that fails (the process is down) is skipped.
 * Why: what a crash can lose of the training samples is what a task made in one commit interval, at the pace it
 * processed readings then: the input's pace once caught up, faster while it works through a backlog after a restart.
 */
final class ProcessingPace implements AutoCloseable {

    static final long POLL_MS = 100;
    static final long WINDOW_MS = 1_000;
    private static final String COUNTER = "streamcast_readings_accepted_total ";

    private final IntSupplier httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peak;

    /** Starts polling the service at the HTTP port {@code httpPort} gives (asked again at each poll). */
    ProcessingPace(IntSupplier httpPort) {
        this.httpPort = httpPort;
        this.thread = new Thread(this::poll, "processing-pace");
        thread.setDaemon(true);
        thread.start();
    }

    /** The fastest pace seen so far, readings per second. */
    double peakPerSecond() {
        return peak;
    }

    private void poll() {
        // (time ns, readings accepted in this scenario so far), the last WINDOW_MS of them
        ArrayDeque<long[]> window = new ArrayDeque<>();
        long total = 0;
        long lastCounter = 0;
        while (running) {
            Long counter = read();
            long now = System.nanoTime();
            if (counter != null) {
                // A smaller value: a new process, counting from 0 again.
                total += counter >= lastCounter ? counter - lastCounter : counter;
                lastCounter = counter;
                window.addLast(new long[] {now, total});
                while (now - window.peekFirst()[0] > WINDOW_MS * 1_000_000) {
                    window.removeFirst();
                }
                long[] first = window.peekFirst();
                if (now - first[0] >= WINDOW_MS * 1_000_000 / 2) {
                    peak = Math.max(peak, (total - first[1]) * 1e9 / (now - first[0]));
                }
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Long read() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort.getAsInt() + "/metrics"))
                    .header("Authorization", "Bearer " + FaultCluster.ADMIN_TOKEN).timeout(Duration.ofSeconds(1))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            for (String line : response.body().split("\n")) {
                if (line.startsWith(COUNTER)) {
                    return (long) Double.parseDouble(line.substring(COUNTER.length()).trim());
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
