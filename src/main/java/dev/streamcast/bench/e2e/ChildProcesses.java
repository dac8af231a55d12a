package dev.streamcast.bench.e2e;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The processes the backlog benchmark started and has not stopped yet, stopped when this JVM exits: a run ended
 * by Ctrl-C otherwise leaves its broker (and a service or the peer) running, since a child process outlives its
 * parent.
 */
final class ChildProcesses {

    /** How long each may take to stop as asked (SIGTERM) before it is killed. */
    private static final long STOP_WAIT_S = 10;
    private static final Deque<Process> RUNNING = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "streamcast-backlog-children"));
    }

    private ChildProcesses() {
    }

    /** Stops {@code process} when this JVM exits, unless {@link #ended} says it already ended. */
    static Process started(Process process) {
        RUNNING.push(process);
        return process;
    }

    /** Forgets a process that ended or was stopped. */
    static void ended(Process process) {
        RUNNING.remove(process);
    }

    /** The last started first: the service stops while its broker still answers, then the broker. */
    static void stopAll() {
        for (Process process : RUNNING) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
