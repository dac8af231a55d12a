package dev.streamcast.cli.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command ({@code run}, {@code broker}, {@code demo}) alive until the JVM is asked to stop
 * (Ctrl-C, SIGTERM), then closes what it started.
 */
public final class UntilShutdown {

    private UntilShutdown() {
    }

    /** {@link #await(AutoCloseable, CompletableFuture, Runnable)} with no fatal error to watch. */
    public static void await(AutoCloseable resource, Runnable announce) {
        await(resource, new CompletableFuture<RuntimeException>(), announce);
    }

    /**
     * Registers the hook that closes {@code resource}, then runs {@code announce} (the "is running" line), then
     * blocks until the JVM is asked to stop or {@code fatal} completes. For {@code fatal} it closes
     * {@code resource} itself and throws its exception (the command line reports it).
     *
     * <p>The hook goes in before the announcement: whoever reads the line may stop the process at once, and a
     * stop that came before the hook would leave the resource to the JVM's exit. A stop that came while the
     * service was still starting finds the shutdown in progress: the resource is closed here, and that is all.
     */
    public static void await(AutoCloseable resource, CompletableFuture<? extends RuntimeException> fatal,
            Runnable announce) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                close(resource);
            } finally {
                stopped.countDown();
            }
        }, "streamcast-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            close(resource);
            return;
        }
        announce.run();
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

    /** Closes {@code resource} as a stop does; a failure is an IllegalStateException. */
    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("clean shutdown failed", e);
        }
    }
}
