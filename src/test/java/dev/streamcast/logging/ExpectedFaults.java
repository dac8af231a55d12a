package dev.streamcast.logging;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that breaks things on purpose (a corrupt record, a killed broker, a wrong password) and so makes
 * Streamcast log warnings or errors: while it runs, each WARN or ERROR line on the console starts with
 * {@code EXPECTED(ClassName)} (src/test/resources/logback-test.xml, docs/developing.md "Test logs"), so that a line
 * without it stands out as a real problem. The lines still show: a fault test's log is part of what it shows.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ExpectedFaultsExtension.class)
public @interface ExpectedFaults {

    /** What the class breaks, for the reader of the test. */
    String value();
}
