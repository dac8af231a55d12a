package dev.streamcast.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The tests' one way to wait for a condition (Awaitility), in place of hand-written polling loops and fixed sleeps:
 * a test waits for what it needs, never for a guessed time. On timeout Awaitility fails with the alias given here and
 * the last value it saw.
 */
public final class Waits {

    private Waits() {
    }

    /**
     * Waits up to {@code atMost} for {@code what}, checking at once and then every 100 ms (a caller may change the
     * interval with {@code pollInterval}). Conditions run on the test's own thread, so one may poll a Kafka consumer
     * the test owns; an exception thrown by another thread (a Kafka Streams thread a test provokes on purpose) does not
     * end the wait, the condition does.
     */
    public static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what)
                .atMost(atMost)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .pollInSameThread()
                .dontCatchUncaughtExceptions();
    }
}
