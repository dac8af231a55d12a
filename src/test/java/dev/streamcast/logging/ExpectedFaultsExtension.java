package dev.streamcast.logging;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Labels the console's WARN and ERROR lines as expected from the start of an {@link ExpectedFaults} class (its
 * {@code @BeforeAll} included, where some run their whole scenario) to its end. The label is one value for the whole
 * JVM, not per thread: the faults are logged by Kafka Streams' and the broker's threads, not the test's; the tests
 * of one JVM run one class at a time (no parallel execution is configured).
 */
public final class ExpectedFaultsExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        ExpectedFaultsConverter.expectFrom(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExpectedFaultsConverter.expectFrom(null);
    }
}
