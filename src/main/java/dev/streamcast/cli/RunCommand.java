package dev.streamcast.cli;

import dev.streamcast.stream.StreamcastConfig;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamcast run}: the forecasting service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the forecasting service (with no kafka.bootstrap.servers, on an embedded Kafka broker).")
final class RunCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configuration;

    @Override
    public void run() {
        StreamcastConfig loaded = configuration.load();
        ServiceRuntime runtime = ServiceRuntime.start(loaded);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Streamcast is running: readings from '%s' on Kafka at %s%s; dashboard at %s. Ctrl-C stops it.%n",
                runtime.service().settings().topics().readings(), runtime.bootstrapServers(),
                runtime.embedded() ? " (embedded broker)" : "", runtime.dashboardUrl());
        out.flush();
        awaitShutdown(runtime, runtime.service().accessDenied());
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes {@code resource} cleanly. */
    static void awaitShutdown(AutoCloseable resource) {
        awaitShutdown(resource, new CompletableFuture<RuntimeException>());
    }

    /**
     * Blocks until the JVM is asked to stop or {@code fatal} completes; then closes {@code resource} and, for
     * {@code fatal}, throws its exception (the command line reports it).
     */
    static void awaitShutdown(AutoCloseable resource, CompletableFuture<? extends RuntimeException> fatal) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("clean shutdown failed", e);
            } finally {
                stopped.countDown();
            }
        }, "streamcast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        fatal.thenRun(stopped::countDown);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (fatal.isDone()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                return; // the JVM is stopping anyway: the hook closes the resource
            }
            try {
                resource.close();
            } catch (Exception e) {
                fatal.join().addSuppressed(e);
            }
            throw fatal.join();
        }
    }
}
