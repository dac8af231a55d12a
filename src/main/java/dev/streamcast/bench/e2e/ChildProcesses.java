package dev.streamcast.bench.e2e;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes the backlog benchmark started and has not stopped yet, stopped when this JVM exits: a run ended
 * by Ctrl-C otherwise leaves its broker (and a service or the peer) running, since a child process outlives its
 * parent.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy),
                "streamcast-backlog-children"));
    }

    private ChildProcesses() {
    }

    /** Stops {@code process} when this JVM exits, unless {@link #ended} says it already ended. */
    static Process started(Process process) {
        RUNNING.add(process);
        return process;
    }

    /** Forgets a process that ended or was stopped. */
    static void ended(Process process) {
        RUNNING.remove(process);
    }
}
