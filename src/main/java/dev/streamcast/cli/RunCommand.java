package dev.streamcast.cli;

import dev.streamcast.stream.StreamcastConfig;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast run}: the forecasting service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the forecasting service (with no kafka.bootstrap.servers, on an embedded Kafka broker).")
final class RunCommand implements Runnable {

    /** How often the service's readiness is checked until it is ready. */
    private static final long READY_POLL_MS = 200;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Override
    public void run() {
        StreamcastConfig loaded = configuration.load();
        ServiceRuntime runtime = ServiceRuntime.start(loaded);
        PrintWriter out = spec.commandLine().getOut();
        UntilShutdown.await(runtime, runtime.service().accessDenied(), () -> {
            out.printf("Streamcast is running: readings from '%s' on Kafka at %s%s; dashboard at %s."
                    + " Ctrl-C stops it.%n", runtime.service().settings().topics().readings(),
                    runtime.bootstrapServers(), runtime.embedded() ? " (embedded broker)" : "",
                    runtime.dashboardUrl());
            out.flush();
            announceWhenReady(runtime, out);
        });
    }

    /**
     * Prints a second line once the service is ready (GET /ready answers 200): "running" comes as soon as everything
     * is started, while the stream may still be joining its group and restoring its stores, and the dashboard shows
     * nothing until then.
     */
    private static void announceWhenReady(ServiceRuntime runtime, PrintWriter out) {
        Thread watcher = new Thread(() -> {
            try {
                while (!runtime.ready()) {
                    Thread.sleep(READY_POLL_MS);
                }
            } catch (InterruptedException | RuntimeException stopping) {
                return; // the service is stopping: nothing to announce
            }
            out.println("Streamcast is ready: forecasting (GET /ready answers 200).");
            out.flush();
        }, "streamcast-ready-notice");
        // Never keeps the JVM alive: a stop before the service is ready simply ends it.
        watcher.setDaemon(true);
        watcher.start();
    }
}
