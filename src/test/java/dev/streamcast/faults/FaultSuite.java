package dev.streamcast.faults;

/**
 * The size of the fault suite. The reduced form (the default) runs in CI; the full form is selected with
 * {@code -Dstreamcast.faults=full}:
 *
 * <pre>
 * mvn -B verify -Dstreamcast.faults=full -Dtest='dev/streamcast/faults/*' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>The full form also runs {@code ClusterFaultsTest} larger (1,000 sensors at 500 readings/s on the three-node
 * cluster, stretches twice as long) and {@code SoakTest} (30 minutes at 5,000 readings/s; alone with
 * {@code -Dstreamcast.soak=true -Dtest=SoakTest}).
 *
 * <p>The processes start as users start them, {@code java -jar target/streamcast.jar}, when that jar holds the classes
 * under test ({@link ShadedJar}; {@code mvn -B -DskipTests package} first), else from the test class path.
 *
 * <p>{@code -Dstreamcast.faults.seed=N} replays a run's random choices (kill moments, malformed records); every
 * scenario prints the seed it used.
 *
 * @param sensors          sensors the load producer writes to
 * @param readings         valid readings in all (spread evenly over the sensors)
 * @param kills            kill -9s of the service in the kill scenario
 * @param malformed        malformed records mixed into the valid traffic in the fuzz scenario
 * @param readingsPerSecond the producer's pace, so faults land in the middle of the stream
 */
record FaultSuite(String name, int sensors, int readings, int kills, int malformed, int readingsPerSecond) {

    static final String PROPERTY = "streamcast.faults";

    static FaultSuite reduced() {
        return new FaultSuite("reduced", 200, 20_000, 2, 1_000, 800);
    }

    static FaultSuite full() {
        return new FaultSuite("full", 1_000, 100_000, 5, 10_000, 1_500);
    }

    /** The form asked for with -Dstreamcast.faults (reduced unless it says full). */
    static FaultSuite current() {
        return isFull() ? full() : reduced();
    }

    static boolean isFull() {
        return "full".equalsIgnoreCase(System.getProperty(PROPERTY, "reduced").trim());
    }

    /** The seed of this run: -Dstreamcast.faults.seed, or a fresh one (printed, so a failure can be replayed). */
    static long seed() {
        String given = System.getProperty(PROPERTY + ".seed");
        return given == null || given.isBlank() ? System.nanoTime() : Long.parseLong(given.trim());
    }

    int readingsPerSensor() {
        return readings / sensors;
    }
}
