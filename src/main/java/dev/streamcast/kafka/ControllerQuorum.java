package dev.streamcast.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Which KRaft controllers form the cluster's quorum and which of them this node is. A single node (no voters
 * given) is its own quorum on a controller port picked at start; a cluster names every voter, each node combined
 * broker and controller, and shares one cluster id, written into every node's data directory when it is formatted.
 *
 * @param nodeId    this node's id; with voters, one of theirs
 * @param voters    every controller of the quorum; empty for a single node
 * @param clusterId the cluster's id, required with voters; null for a single node (a random one at format time)
 */
record ControllerQuorum(int nodeId, List<Voter> voters, String clusterId) {

    /** The node id of a single node; written into its data directory when it is formatted. */
    static final int SINGLE_NODE_ID = 1;
    /** How many replicas Kafka's internal topics get on a cluster, and how many of them must be in sync. */
    static final int CLUSTER_REPLICATION_FACTOR = 3;
    static final int CLUSTER_MIN_INSYNC_REPLICAS = 2;

    /** One controller of the quorum: {@code id@host:port}. */
    record Voter(int id, String host, int port) {
        @Override
        public String toString() {
            return id + "@" + BrokerListeners.listenerHost(host) + ":" + port;
        }
    }

    ControllerQuorum {
        voters = List.copyOf(voters);
    }

    static ControllerQuorum singleNode() {
        return new ControllerQuorum(SINGLE_NODE_ID, List.of(), null);
    }

    /**
     * A node of a cluster.
     *
     * @param voters    {@code 1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093}
     * @param clusterId a Kafka cluster id (22 characters of URL-safe base64), the same on every node
     * @throws IllegalArgumentException naming the value that is wrong
     */
    static ControllerQuorum cluster(int nodeId, String voters, String clusterId) {
        List<Voter> parsed = parseVoters(voters);
        if (parsed.stream().noneMatch(v -> v.id() == nodeId)) {
            throw new IllegalArgumentException("node id " + nodeId + " is not among the voters " + voters);
        }
        if (parsed.stream().map(Voter::id).distinct().count() != parsed.size()) {
            throw new IllegalArgumentException("the voters " + voters + " name a node id twice");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("a cluster id is required with voters, the same on every node, "
                + "e.g. " + Uuid.randomUuid());
        }
        try {
            Uuid.fromString(clusterId.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + clusterId + "' is not a Kafka cluster id (22 characters of "
                + "URL-safe base64), e.g. " + Uuid.randomUuid(), e);
        }
        return new ControllerQuorum(nodeId, parsed, clusterId.trim());
    }

    private static List<Voter> parseVoters(String text) {
        List<Voter> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String voter = part.trim();
            int at = voter.indexOf('@');
            int colon = voter.lastIndexOf(':');
            if (at <= 0 || colon < at + 2 || colon == voter.length() - 1) {
                throw new IllegalArgumentException("expected voters as id@host:port,id@host:port,..., got '"
                    + text + "'");
            }
            String host = voter.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int id = Integer.parseInt(voter.substring(0, at));
                int port = Integer.parseInt(voter.substring(colon + 1));
                if (id < 0 || port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                out.add(new Voter(id, host, port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected voters as id@host:port with a node id of 0 or more and "
                    + "a port of 1-65535, got '" + voter + "'", e);
            }
        }
        return out;
    }

    boolean isCluster() {
        return !voters.isEmpty();
    }

    /** This node's own entry among the voters; only for a cluster. */
    Voter self() {
        return voters.stream().filter(v -> v.id() == nodeId).findFirst().orElseThrow();
    }

    /** controller.quorum.voters for a single node whose controller listens on {@code controllerPort}. */
    static String singleNodeVoters(int controllerPort) {
        return new Voter(SINGLE_NODE_ID, BrokerListeners.CONTROLLER_HOST, controllerPort).toString();
    }

    String votersProperty() {
        return voters.stream().map(Voter::toString).collect(Collectors.joining(","));
    }

    /** The replication factor of Kafka's internal topics (offsets, transaction state): 3 or fewer voters'. */
    int internalReplicationFactor() {
        return isCluster() ? Math.min(CLUSTER_REPLICATION_FACTOR, voters.size()) : 1;
    }

    int internalMinInsyncReplicas() {
        return isCluster() ? Math.min(CLUSTER_MIN_INSYNC_REPLICAS, voters.size()) : 1;
    }
}
