package dev.streamcast.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CpuMonitorTest {

    @Test
    void theCompilerThreadsTimeIsReadWhereLinuxReportsItAndIsPartOfTheProcesss() {
        long compiler = CpuMonitor.compilerCpuNanos();
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            assertEquals(-1, compiler);
            return;
        }
        // This JVM has compiled its test framework by now; the compiler's time is some of the process's.
        assertTrue(compiler > 0, "compiler CPU " + compiler);
        try (CpuMonitor monitor = CpuMonitor.start()) {
            long process = monitor.processCpuNanos();
            assertTrue(process < 0 || compiler <= process + 20_000_000L, compiler + " ns > process " + process);
        }
    }
}
