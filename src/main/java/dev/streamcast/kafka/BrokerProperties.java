package dev.streamcast.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server properties of the embedded node: one KRaft process that is both broker and controller, alone or one
 * of the voters of a cluster, in plain text or secured. Everything here can be overridden by the caller's extra
 * properties, which are applied last.
 */
final class BrokerProperties {

    /** How long the broker retries a produce that meets a transaction still being completed (see of). */
    static final String TXN_RETRY_BACKOFF_MAX_MS = "add.partitions.to.txn.retry.backoff.max.ms";
    static final String TXN_RETRY_BACKOFF_MAX = "5000";
    /** Log cleaner dedupe buffer: Kafka's default of 128 MB would be a large share of a small service's heap. */
    private static final String DEDUPE_BUFFER_BYTES = Integer.toString(4 * 1024 * 1024);

    private BrokerProperties() {
    }

    /**
     * @param host           the address the client listener binds, possibly a wildcard
     * @param advertisedHost the address clients are told to connect to; never a wildcard
     */
    static Map<String, String> of(String host, String advertisedHost, int port, int controllerPort,
                                  Path dataDirectory, Duration startupTimeout, Map<String, String> overrides) {
        return of(host, advertisedHost, port, ControllerQuorum.singleNode(), controllerPort, null, null,
            dataDirectory, startupTimeout, overrides);
    }

    /**
     * @param quorum         a single node, or this node of a cluster
     * @param controllerPort the single node's controller port (a cluster node's comes from its voter entry)
     * @param security       null for plain text
     * @param keyStore       the TLS material when {@code security} is set
     */
    static Map<String, String> of(String host, String advertisedHost, int port, ControllerQuorum quorum,
                                  int controllerPort, BrokerSecurity security, LocalKeyStore keyStore,
                                  Path dataDirectory, Duration startupTimeout, Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(quorum.nodeId()));
        // Static voters rather than a dynamic (KIP-853) quorum: a dynamic quorum stores the controller's endpoint
        // in the metadata log, so a restart would have to reuse the same controller port; with static voters the
        // endpoint comes from this configuration on every start and, for a single node, any free port will do.
        String controllerEndpoint;
        if (quorum.isCluster()) {
            props.put("controller.quorum.voters", quorum.votersProperty());
            controllerEndpoint = BrokerListeners.listenerHost(quorum.self().host()) + ":" + quorum.self().port();
        } else {
            props.put("controller.quorum.voters", ControllerQuorum.singleNodeVoters(controllerPort));
            controllerEndpoint = BrokerListeners.CONTROLLER_HOST + ":" + controllerPort;
        }
        String clientListener = security == null ? BrokerListeners.BROKER_LISTENER : BrokerSecurity.CLIENT_LISTENER;
        String controllerProtocol = security == null ? "PLAINTEXT" : "SSL";
        props.put("controller.listener.names", BrokerListeners.CONTROLLER_LISTENER);
        props.put("listeners", clientListener + "://" + BrokerListeners.listenerHost(host) + ":" + port + ","
            + BrokerListeners.CONTROLLER_LISTENER + "://" + controllerEndpoint);
        props.put("advertised.listeners",
            clientListener + "://" + BrokerListeners.listenerHost(advertisedHost) + ":" + port);
        props.put("listener.security.protocol.map",
            clientListener + ":" + clientListener + "," + BrokerListeners.CONTROLLER_LISTENER + ":"
                + controllerProtocol);
        props.put("inter.broker.listener.name", clientListener);
        props.put("log.dirs", dataDirectory.toAbsolutePath().toString());

        // One node: every internal topic can only have one replica, and its in-sync set is that replica. A cluster:
        // three replicas, two of which must acknowledge a write, so one node can be down without losing a commit.
        String replicas = Integer.toString(quorum.internalReplicationFactor());
        String minInsync = Integer.toString(quorum.internalMinInsyncReplicas());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", replicas);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        if (quorum.isCluster()) {
            // The offsets topic takes the broker's min.insync.replicas; so do topics created without their own.
            props.put("min.insync.replicas", minInsync);
        }
        if (security != null) {
            props.putAll(security.brokerProperties(keyStore));
        }
        // Under exactly-once (transaction version 2, Kafka 4's default) a task's next transaction often sends its first
        // records while the markers of the one it just committed are still being written; the broker then answers
        // CONCURRENT_TRANSACTIONS, which it retries on its own for up to this long before handing the error to the
        // producer, which retries too but logs a WARN each time. Normal (KAFKA-18654), yet 100 ms, the default, is
        // passed whenever the machine is busy (a catch-up, a loaded CI machine): 28 WARN lines in one kill -9 scenario.
        // Waiting on the broker instead costs nothing: the record could not be written sooner either way.
        // It is also what keeps the broker from logging OutOfOrderSequenceException "Expected sequence 0 for
        // transactions v2 idempotent producer with no existing state" at ERROR: the producer keeps several requests
        // in flight, so the request with a partition's next records (sequence 1 on) is already sent when the first
        // (sequence 0 of the new transaction) is refused; the broker reads a connection's requests in order, and by
        // the second one the markers are written, but the partition holds nothing of this producer's new epoch, and
        // under transaction version 2 only sequence 0 may start it. Refused and retried after the first, so nothing
        // is lost or doubled, but logged as an error. Waiting here, the first request is answered once it is written
        // (unless the markers take longer than this), so the second cannot overtake it (three demos at once on a
        // 2-core machine: 1-20 ERROR lines each at 100 ms, none at 5 s; QuietHealthyRunProcessTest). Formatting with
        // transaction.version 1 was not an option: it gives up KIP-890's new epoch at every transaction, which keeps a
        // late write of one transaction out of the next (docs/operations.md, The embedded broker or your own Kafka).
        props.put(TXN_RETRY_BACKOFF_MAX_MS, TXN_RETRY_BACKOFF_MAX);
        // Nobody else will join a new group on a single development node, so waiting for them only slows start-up.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", DEDUPE_BUFFER_BYTES);
        // Bounds the broker's wait for the controller, so a start that cannot complete fails instead of hanging.
        props.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        props.putAll(overrides);
        return props;
    }
}
