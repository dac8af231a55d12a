package dev.streamcast.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a secured embedded broker lets clients in: SASL_SSL with SCRAM-SHA-512 on the client listener, TLS with
 * client certificates on the controller listener (KRaft controllers cannot check SCRAM credentials: those live in
 * the metadata the controllers serve), and optionally Kafka's StandardAuthorizer with ACLs, the inter-broker user
 * and the brokers' certificate being the super users.
 *
 * <p>Nothing here is logged: the properties it returns hold passwords.
 */
final class BrokerSecurity {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String CLIENT_LISTENER = "SASL_SSL";
    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private final ScramUsers users;
    private final boolean acls;
    private final Path tlsDirectory;

    BrokerSecurity(ScramUsers users, boolean acls, Path tlsDirectory) {
        this.users = users;
        this.acls = acls;
        this.tlsDirectory = tlsDirectory;
    }

    ScramUsers users() {
        return users;
    }

    boolean acls() {
        return acls;
    }

    Path tlsDirectory() {
        return tlsDirectory;
    }

    /** The broker's security settings; {@code keyStore} from {@link LocalKeyStore#openOrCreate}. */
    Map<String, String> brokerProperties(LocalKeyStore keyStore) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        String listener = "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        props.put(listener + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
            jaasConfig(users.interBrokerUser()));
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", keyStore.keyStore().toAbsolutePath().toString());
        props.put("ssl.keystore.password", keyStore.password());
        props.put("ssl.key.password", keyStore.password());
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", keyStore.trustStore().toAbsolutePath().toString());
        // Only a holder of the brokers' key may speak to a controller.
        props.put("listener.name." + BrokerListeners.CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT)
            + ".ssl.client.auth", "required");
        if (acls) {
            props.put("authorizer.class.name", AUTHORIZER);
            props.put("super.users", "User:" + users.interBrokerUser() + ";User:" + LocalKeyStore.SUBJECT);
            props.put("allow.everyone.if.no.acl.found", "false");
        }
        return props;
    }

    /** What a client of the broker needs to connect as {@code user}: SASL_SSL, SCRAM and the PEM trust store. */
    Map<String, String> clientProperties(String user, Path trustStore) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaasConfig(user));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        return props;
    }

    /**
     * The argument of {@code kafka-storage format --add-scram} for the inter-broker user: its credential must be in
     * the metadata before the brokers can authenticate to each other.
     */
    String interBrokerScramArgument() {
        String user = users.interBrokerUser();
        return MECHANISM + "=[name=" + user + ",password=\"" + users.password(user) + "\"]";
    }

    private String jaasConfig(String user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
            + "\" password=\"" + users.password(user) + "\";";
    }

    @Override
    public String toString() {
        return "SASL_SSL/" + MECHANISM + " " + users + (acls ? " with ACLs" : "");
    }
}
