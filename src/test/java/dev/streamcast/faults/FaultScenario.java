package dev.streamcast.faults;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every scenario run against a {@link FaultCluster} shares: its temporary directory, the cluster, closed after
 * each test whatever happened (so no broker or service process outlives its scenario), and the suite, seed and log
 * its opening sets up. Held here once so that every scenario opens and cleans up the same way, and none leaves out
 * the header line with the seed that replays it.
 *
 * <p>One scenario per test method: TwoInstancesTest runs one scenario for several tests (PER_CLASS lifecycle, a
 * static {@code @TempDir}) and keeps its own.
 */
abstract class FaultScenario {

    @TempDir
    Path dir;

    /** The form of the suite asked for; fixed by a system property, so known before the log (a name may use it). */
    protected final FaultSuite suite = FaultSuite.current();
    protected long seed;
    protected ScenarioLog log;
    protected FaultCluster cluster;

    @AfterEach
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** {@link #begin} and then {@link #startCluster}, for a scenario with nothing to prepare in between. */
    protected void open(String scenario, String clusterName) {
        begin(scenario);
        startCluster(clusterName);
    }

    /** Picks the seed and opens the log with the suite and the seed, so that a failed run can be replayed. */
    protected void begin(String scenario) {
        seed = FaultSuite.seed();
        log = new ScenarioLog(scenario);
        log.say(suite + ", seed " + seed);
    }

    /** Creates the cluster (application id {@code faults-<clusterName>}) and starts its broker. */
    protected void startCluster(String clusterName) {
        cluster = new FaultCluster(dir, clusterName);
        cluster.startBroker();
    }
}
