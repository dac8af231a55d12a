package dev.streamcast.cli.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class UntilShutdownTest {

    @Test
    void aFatalErrorAfterTheAnnouncementClosesTheResourceOnceAndIsThrown() {
        List<String> events = new ArrayList<>();
        CompletableFuture<RuntimeException> fatal = new CompletableFuture<>();
        IllegalStateException denied = new IllegalStateException("access denied");
        AutoCloseable resource = () -> events.add("closed");
        Runnable announce = () -> {
            events.add("announced");
            fatal.complete(denied); // what a client does when the broker refuses it, right after the start
        };
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> UntilShutdown.await(resource, fatal, announce));
        assertSame(denied, thrown);
        assertEquals(List.of("announced", "closed"), events, "the announcement comes first, then one close");
    }
}
