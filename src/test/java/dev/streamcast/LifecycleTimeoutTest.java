package dev.streamcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A hang in a {@code @BeforeAll} fails its class instead of hanging the build: the project's JUnit configuration
 * gives lifecycle methods a default timeout (a class-level {@code @Timeout} covers test methods only), and JUnit
 * applies it. The check runs a class whose {@code @BeforeAll} never returns, with the project's configuration and
 * only the timeout's value shortened.
 */
@Tag("unit")
class LifecycleTimeoutTest {

    static final String BEFORE_ALL_TIMEOUT = "junit.jupiter.execution.timeout.beforeall.method.default";

    @Test
    void theProjectGivesEveryBeforeAllATimeout() throws IOException {
        Properties config = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/junit-platform.properties")) {
            assertNotNull(in, "src/test/resources/junit-platform.properties is missing");
            config.load(in);
        }
        assertNotNull(config.getProperty(BEFORE_ALL_TIMEOUT), BEFORE_ALL_TIMEOUT + " is not set");
    }

    @Test
    void aBeforeAllThatHangsFailsItsClassWithATimeout() {
        Events containers = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> EngineTestKit
                .engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true)
                .configurationParameter(BEFORE_ALL_TIMEOUT, "1 s")
                .selectors(selectClass(HangingSetUp.class))
                .execute().containerEvents());

        assertEquals(1, containers.failed().count());
        Throwable failure = containers.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertInstanceOf(TimeoutException.class, failure, failure.toString());
    }

    /** Run only through the engine above (surefire leaves nested classes out, and the tier check skips them). */
    static class HangingSetUp {

        @BeforeAll
        static void waitForever() throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }

        @Test
        void never() {
        }
    }
}
