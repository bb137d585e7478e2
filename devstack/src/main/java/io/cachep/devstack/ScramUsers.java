package io.cachep.devstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Creates SCRAM users on a secured {@link KafkaBroker}. The credential is committed to the metadata log when the call
 * returns, but the broker that authenticates logins applies it a moment later: so a user counts as created once it
 * can log in.
 */
final class ScramUsers {
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private ScramUsers() {}

    static void upsert(Map<String, Object> admin, Map<String, Object> asUser, String user, String password,
                       Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        try (Admin client = Admin.create(admin)) {
            client.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new DevStackException("could not create SCRAM user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while creating SCRAM user " + user, e);
        }
        Map<String, Object> login = new HashMap<>(asUser);
        login.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        login.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        login.put(AdminClientConfig.CLIENT_ID_CONFIG, "devstack-login-check");
        Exception last = null;
        while (!deadline.expired()) {
            // A fresh client per attempt: a failed login is final for the client that tried it.
            try (Admin client = Admin.create(login)) {
                client.describeCluster().nodes().get(deadline.atMost(CALL_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("interrupted while waiting for SCRAM user " + user + " to log in", e);
            }
            LockSupport.parkNanos(deadline.atMost(POLL).toNanos());
        }
        throw new DevStackException("SCRAM user " + user + " cannot log in " + timeout.toSeconds() + " s after it was"
                + " created: " + (last == null ? "no attempt finished" : last.getMessage()), last);
    }
}
