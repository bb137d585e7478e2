package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.VerificationRecord;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.TestCertificates;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * cachep against a hardened Redis, as a platform team runs it: TLS only, client certificates required (mutual TLS),
 * both signed by a private CA, and each part of cachep logged in as its own ACL user with exactly the line
 * docs/security.md gives for it (no {@code @admin}, no {@code @dangerous}, only the namespace's keys). The projector
 * projects every kind of operation, Redis ends equal to the model, and the operator commands work under their lines;
 * the read-only line really is read-only (a repair under it fails with one line naming what to grant).
 */
@ExtendWith(DevStackExtension.class)
class HardenedRedisIT {
    private static final Path SECURITY_DOC = Path.of("..", "docs", "security.md");
    static final String CHANNEL = "cachep-invalidation";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /** Every kind of operation, tags and invalidate-tag included. */
    static final String RULES = """
            namespace: ${namespace}
            tombstone-retention: 24h
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}" }, ttl: 1h, tags: ["tenant:{data.tenant}"] }
                  - set-add: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: refreshed
                topic: ${topic}
                type: refreshed
                mutations:
                  - expire: { key: "session:{subject}", ttl: 2h }
              - name: ended
                topic: ${topic}
                type: ended
                mutations:
                  - invalidate: { key: "session:{subject}", channel: %s }
                  - set-remove: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: profile
                topic: ${topic}
                type: profile
                mutations:
                  - merge: { key: "user:{subject}:profile", hash-from: data }
              - name: joined
                topic: ${topic}
                type: joined
                mutations:
                  - zset-add: { key: "room:{subject}:people", member: "{data.user}", score: "{data.at}" }
              - name: flushed
                topic: ${topic}
                type: flushed
                mutations:
                  - invalidate-tag: { tag: "tenant:{subject}" }
            """.formatted(CHANNEL);

    @Test
    void shouldProjectAndOperateThroughMutualTlsAsLeastPrivilegeAclUsers(DevStack stack, TestIsolation isolation,
                                                                         @TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.newAuthority(dir.resolve("tls"), "cachep-test-ca");
        TestCertificates.Issued serverCert = ca.issue("redis");
        TestCertificates.Issued projectorCert = ca.issue("projector");
        TestCertificates.Issued operatorCert = ca.issue("operator");
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, RULES, 2, 1);
        String namespace = deployment.namespace();

        Path aclFile = dir.resolve("users.acl");
        Files.writeString(aclFile, String.join("\n",
                "user default on nopass ~* &* +@all", // the test's own view of Redis
                aclLine("projector", namespace, "projector-pw") + " " + aclAdditions("projector-follow"),
                aclLine("operator-read", namespace, "operator-pw"),
                aclLine("operator-write", namespace, "repair-pw")) + "\n");

        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults()
                .withTls(new RedisServer.Tls(serverCert, ca.authorityCertificate(), true, operatorCert))
                .withExtraArgs("--aclfile", aclFile.toString()))) {
            Map<String, String> projectorEnv = asUser(deployment, redis, "cachep-projector", "projector-pw", ca, projectorCert);
            Map<String, String> readerEnv = asUser(deployment, redis, "cachep-operator", "operator-pw", ca, operatorCert);
            Map<String, String> repairEnv = asUser(deployment, redis, "cachep-repair", "repair-pw", ca, operatorCert);

            List<ProducerRecord<byte[], byte[]>> log = everyOperation(deployment.topic());
            deployment.send(log.toArray(ProducerRecord[]::new));
            List<byte[]> sent = log.stream().map(ProducerRecord::value).toList();

            // The projector follows the log in-process too, under its line plus the grants documented for that.
            Map<String, String> followingEnv = new HashMap<>(projectorEnv);
            followingEnv.put("PROJECTOR_VERIFY_FOLLOW", "true");
            ProjectorConfig config = new ConfigLoader(followingEnv).load(Optional.empty(), Map.of());
            ProjectionRules rules = RulesFileLoader.load(config.rulesFile());
            KeyLayout layout = new RuleEngine(rules).layout();
            Instant projectorFrom = Instant.now();
            try (ProjectorApp projector = ProjectorApp.create(config, rules);
                 RedisClient admin = adminClient(redis, ca, operatorCert);
                 StatefulRedisConnection<String, String> connection = admin.connect()) {
                projector.start();
                Awaitility.await().atMost(DEADLINE).until(() -> processed(projector) >= sent.size());
                assertThat(projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).isZero();
                assertThat(projector.fatalFailure()).isEmpty();
                Awaitility.await().atMost(DEADLINE).until(() -> followed(connection, layout, projectorFrom));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        projector.registry().get("cachep.cache.divergence").tag("kind", "all").gauge().value() == 0);
            }

            try (RedisClient admin = adminClient(redis, ca, operatorCert);
                 StatefulRedisConnection<String, String> connection = admin.connect()) {
                assertThat(RedisSnapshots.read(connection.sync(), new RuleEngine(rules).layout()))
                        .as("Redis, written through mutual TLS by the projector's ACL user, equals the model")
                        .isEqualTo(model(deployment.topic(), rules, sent));
                assertThat(connection.sync().keys(namespace + ":session:*")).isNotEmpty();

                Result verify = CliRun.run(new VerifyCommand(readerEnv));
                assertThat(verify.exit()).as(verify.both()).isZero();
                assertThat(verify.out()).contains("EQUAL");
                Result status = CliRun.run(new StatusCommand(readerEnv));
                assertThat(status.exit()).as(status.both()).isZero();

                // The server is checked: a CA that did not sign its certificate is refused, in one line.
                TestCertificates stranger = TestCertificates.newAuthority(dir.resolve("other-ca"), "someone-else");
                Map<String, String> strangerEnv = new HashMap<>(readerEnv);
                strangerEnv.put("PROJECTOR_REDIS_TLS_CA_FILE", stranger.authorityCertificate().toString());
                Result untrusted = CliRun.run(new VerifyCommand(strangerEnv));
                assertThat(untrusted.exit()).as(untrusted.both()).isEqualTo(1);
                assertThat(untrusted.err()).doesNotContain("\tat ").contains("verify failed: the Redis server's TLS"
                        + " certificate is not signed by an authority this client trusts: set projector.redis.tls.ca.file");
                Map<String, String> noClientCert = new HashMap<>(readerEnv);
                noClientCert.remove("PROJECTOR_REDIS_TLS_CERT_FILE");
                noClientCert.remove("PROJECTOR_REDIS_TLS_KEY_FILE");
                Result anonymous = CliRun.run(new VerifyCommand(noClientCert));
                assertThat(anonymous.exit()).as(anonymous.both()).isEqualTo(1);
                assertThat(anonymous.err()).contains("verify failed: the Redis server requires a client certificate");

                connection.sync().del(namespace + ":session:{s-0}");
                connection.sync().hset(namespace + ":user:{u-1}:profile", "name", "tampered");
                Result divergent = CliRun.run(new VerifyCommand(readerEnv));
                assertThat(divergent.exit()).as(divergent.both()).isEqualTo(3);

                Result refused = CliRun.run(new VerifyCommand(readerEnv), "--repair", "--execute");
                assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
                // Progress lines come first on stderr; the failure is one line naming the command and the grant.
                assertThat(refused.err()).as(refused.both()).doesNotContain("\tat ").doesNotContain("Exception")
                        .contains("verify failed: the Redis user may not run 'del': grant +del (ACL category @write)");

                Result repaired = CliRun.run(new VerifyCommand(repairEnv), "--repair", "--execute");
                assertThat(repaired.exit()).as(repaired.both()).isZero();
                assertThat(CliRun.run(new VerifyCommand(readerEnv)).exit()).isZero();

                Result rebuilt = CliRun.run(new RebuildCommand(repairEnv), "--namespace", namespace, "--execute");
                assertThat(rebuilt.exit()).as(rebuilt.both()).isZero();
                Result replayed = CliRun.run(new ReplayCommand(repairEnv), "--topic", deployment.topic(),
                        "--from-offset", "0", "--execute");
                assertThat(replayed.exit()).as(replayed.both()).isZero();
                Result after = CliRun.run(new VerifyCommand(readerEnv));
                assertThat(after.exit()).as(after.both()).isZero();

                // verify --follow under the read-only line: it holds the follower's lease and writes its record.
                Instant followFrom = Instant.now();
                VerifyCommand follow = new VerifyCommand(readerEnv);
                CompletableFuture<Result> following = CompletableFuture.supplyAsync(() -> CliRun.run(follow, "--follow"));
                Awaitility.await().atMost(DEADLINE).until(() -> following.isDone() || followed(connection, layout, followFrom));
                follow.stopFollowing();
                Result followed = following.get(30, TimeUnit.SECONDS);
                assertThat(followed.exit()).as(followed.both()).isZero();
                assertThat(followed.err()).as(followed.both()).doesNotContain("a pass failed");
                assertThat(connection.sync().exists(layout.followLease())).as("given up at the stop").isZero();
                assertThat(RedisSnapshots.read(connection.sync(), new RuleEngine(rules).layout()))
                        .isEqualTo(model(deployment.topic(), rules, sent));
            }
        }
    }

    /** A follower holds the namespace's lease and has written the verify record since {@code since}: passes ran. */
    private static boolean followed(StatefulRedisConnection<String, String> connection, KeyLayout layout, Instant since) {
        String at = connection.sync().hget(VerificationRecord.key(layout), "at");
        return connection.sync().exists(layout.followLease()) == 1 && at != null && Instant.parse(at).isAfter(since);
    }

    /** The grants docs/security.md says {@code what} needs on top of a role's line ({@code cluster}, ...). */
    static String aclAdditions(String what) throws Exception {
        Matcher block = Pattern.compile("<!-- redis-acl:" + Pattern.quote(what) + " -->\\s*```\\s*\\n([^\\n]+)\\n```")
                .matcher(Files.readString(SECURITY_DOC, StandardCharsets.UTF_8));
        assertThat(block.find()).as("docs/security.md has the additions for " + what).isTrue();
        return block.group(1).strip();
    }

    /** The ACL line docs/security.md gives for {@code role}, with the placeholders filled in. */
    static String aclLine(String role, String namespace, String password) throws Exception {
        String doc = Files.readString(SECURITY_DOC, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("<!-- redis-acl:" + Pattern.quote(role) + " -->\\s*```\\s*\\n(user [^\\n]+)\\n```")
                .matcher(doc);
        assertThat(block.find()).as("docs/security.md has the ACL line for " + role).isTrue();
        return block.group(1).replace("<namespace>", namespace).replace("<password>", password)
                .replace("<channel>", CHANNEL);
    }

    private static Map<String, String> asUser(TestDeployment deployment, RedisServer redis, String user, String password,
                                              TestCertificates ca, TestCertificates.Issued clientCert) {
        Map<String, String> env = new HashMap<>(deployment.env());
        // A user-only URI with the password beside it, as the README's example: the contract this test holds.
        env.put("PROJECTOR_REDIS_URI", "rediss://" + user + "@localhost:" + redis.port());
        env.put("PROJECTOR_REDIS_PASSWORD", password);
        env.put("PROJECTOR_REDIS_TLS_CA_FILE", ca.authorityCertificate().toString());
        env.put("PROJECTOR_REDIS_TLS_CERT_FILE", clientCert.certificate().toString());
        env.put("PROJECTOR_REDIS_TLS_KEY_FILE", clientCert.privateKey().toString());
        return env;
    }

    private static RedisClient adminClient(RedisServer redis, TestCertificates ca, TestCertificates.Issued clientCert) {
        RedisClient client = RedisClient.create(RedisURI.create("rediss://localhost:" + redis.port()));
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .trustManager(ca.authorityCertificate().toFile())
                .keyManager(clientCert.certificate().toFile(), clientCert.privateKey().toFile(), null)
                .build()).build());
        return client;
    }

    /** A log of every operation {@link #RULES} has, with a refresh, ends, duplicates and a tenant's flush. */
    static List<ProducerRecord<byte[], byte[]>> everyOperation(String topic) {
        List<ProducerRecord<byte[], byte[]>> log = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(60);
        for (int i = 0; i < 40; i++) {
            String session = "s-" + i;
            String user = "u-" + (i % 7);
            String started = "{\"device\":\"ios-" + i + "\",\"tenant\":\"t-" + (i % 3) + "\",\"user\":\"" + user + "\"}";
            log.add(event(topic, session, "started", 1, t0.plusMillis(i), started));
            log.add(event(topic, user, "profile", i + 1, t0.plusMillis(i), "{\"name\":\"n-" + i + "\"}"));
            log.add(event(topic, "r-" + (i % 5), "joined", i + 1, t0.plusMillis(i),
                    "{\"user\":\"" + user + "\",\"at\":" + (1000 + i) + "}"));
            if (i % 4 == 1) {
                log.add(event(topic, session, "refreshed", 2, t0.plusMillis(100 + i), "{}"));
            }
            if (i % 4 == 2) {
                log.add(event(topic, session, "ended", 3, t0.plusMillis(200 + i), "{\"user\":\"" + user + "\"}"));
            }
            if (i % 10 == 3) {
                log.add(event(topic, session, "started", 1, t0.plusMillis(i), started)); // a duplicate
            }
        }
        log.add(event(topic, "t-1", "flushed", 1, t0.plusSeconds(1), "{}"));
        return log;
    }

    private static ProducerRecord<byte[], byte[]> event(String topic, String subject, String type, long version,
                                                       Instant time, String data) {
        byte[] value = ("{\"specversion\":\"1.0\",\"id\":\"" + type + "-" + subject + "-" + version + "\",\"type\":\""
                + type + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + time
                + "\",\"entityversion\":" + version + ",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, subject.getBytes(StandardCharsets.UTF_8), value);
    }

    static long processed(ProjectorApp projector) {
        return Arrays.stream(ApplyOutcome.values()).mapToLong(o -> projector.metrics().count(o.label())).sum()
                + projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME);
    }

    static Map<String, ?> model(String topic, ProjectionRules rules, List<byte[]> sent) {
        CloudEventJsonParser parser = new CloudEventJsonParser();
        List<LoggedEvent> log = new ArrayList<>();
        sent.forEach(value -> log.add(new LoggedEvent(topic, parser.parse(null, value))));
        return new ReferenceProjection(new RuleEngine(rules)).project(log, Instant.now().toEpochMilli());
    }
}
