package dev.streamcast.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACLs a Kafka Streams application needs on a broker that authorizes every request, granted to one user:
 * everything on its own topics and on the internal topics, consumer group and transactional ids Kafka Streams
 * names after the application id, and idempotent writes on the cluster. Granting is idempotent (Kafka keeps one
 * binding per entry), so it runs at every start.
 */
public final class ApplicationAcls {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationAcls.class);

    private ApplicationAcls() {
    }

    /** The bindings for {@code user}; exposed so operators can read what a secured embedded run grants. */
    public static List<AclBinding> bindings(String user, Collection<String> topics, String applicationId) {
        AccessControlEntry all = new AccessControlEntry("User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW);
        List<AclBinding> bindings = new ArrayList<>();
        for (String topic : topics) {
            bindings.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), all));
        }
        bindings.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, applicationId, PatternType.PREFIXED), all));
        bindings.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.PREFIXED), all));
        bindings.add(new AclBinding(
            new ResourcePattern(ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED), all));
        bindings.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
            new AccessControlEntry("User:" + user, "*", AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW)));
        return bindings;
    }

    /**
     * Grants {@link #bindings} through an admin client connected as a super user of {@code broker}.
     *
     * @throws BrokerStartupException if the broker refuses or does not answer within 30 s
     */
    public static void grant(EmbeddedKafkaBroker broker, String user, Collection<String> topics, String applicationId) {
        Map<String, Object> config = new LinkedHashMap<>(broker.clientProperties(broker.superUser()));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-embedded-broker-acls");
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(bindings(user, topics, applicationId)).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartupException("interrupted while granting " + user + " its ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerStartupException("cannot grant " + user + " the ACLs of application " + applicationId
                + ": " + cause.getMessage(), e);
        }
        LOG.info("granted User:{} the ACLs of application {} (topics {}, and {}* internal topics, group and "
            + "transactional ids)", user, applicationId, topics, applicationId);
    }
}
