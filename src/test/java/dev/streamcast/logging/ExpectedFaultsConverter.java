package dev.streamcast.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * logback's {@code %expected} in the tests' console pattern: {@code EXPECTED(ClassName) } before a WARN or ERROR
 * line logged while an {@link ExpectedFaults} class runs, nothing otherwise.
 */
public final class ExpectedFaultsConverter extends ClassicConverter {

    /** The running class that breaks things on purpose, or null. */
    private static volatile String expectingClass;

    static void expectFrom(String testClass) {
        expectingClass = testClass;
    }

    @Override
    public String convert(ILoggingEvent event) {
        String testClass = expectingClass;
        if (testClass == null || !event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return "";
        }
        return "EXPECTED(" + testClass + ") ";
    }
}
