package dev.streamcast.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the users file's SCRAM credentials into the cluster's metadata at every start, so the file stays the truth:
 * a user added to it, or a password changed in it, takes effect on the next start. The inter-broker user is there
 * from the format already; it is not rewritten, so a running cluster's brokers keep authenticating.
 */
final class ScramCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ScramCredentials.class);
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;

    private ScramCredentials() {
    }

    static void upsertAll(Map<String, Object> superUserAdminConfig, ScramUsers users, Duration timeout) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (String user : users.names()) {
            if (!user.equals(users.interBrokerUser())) {
                upserts.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), users.password(user)));
            }
        }
        if (upserts.isEmpty()) {
            return;
        }
        Map<String, Object> config = new LinkedHashMap<>(superUserAdminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamcast-embedded-broker-credentials");
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(upserts).all().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartupException("interrupted while adding the SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerStartupException("cannot add the SCRAM users of the users file: " + cause.getMessage(), e);
        }
        LOG.info("SCRAM credentials set for {}", users.names().subList(1, users.names().size()));
    }
}
