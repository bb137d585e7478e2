package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.EnvironmentNames;
import io.cachep.config.ProjectorConfig;
import io.cachep.demo.KafkaAclTable.Acl;
import io.cachep.demo.KafkaAclTable.Names;
import io.cachep.devstack.BrokerSecurity;
import io.cachep.devstack.KafkaBroker;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.TestCertificates;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cachep against a hardened Kafka: a broker that serves only SASL_SSL (SCRAM-SHA-512, its certificate signed by a
 * test CA) with the standard authorizer. producer-demo, the projector and dlq-tool each log in as a user of their own
 * with exactly the ACLs that docs/security.md lists for what they run, and do their jobs: events projected, poison
 * dead-lettered, status, the DLQ listed and replayed, Redis verified equal to the log. Missing ACLs fail with a line
 * that names what Kafka refused. Nothing any of them prints holds a password or a JAAS config.
 */
class KafkaSecurityIT {
    /** Not the default, so that the docs' {@code $APP} is really filled in. */
    private static final String APP = "cachep-secure";
    private static final String DLQ = "cachep-dlq";
    private static final Path RULES = Path.of("..", "rules", "demo.yaml");
    private static final Duration CATCH_UP = Duration.ofMinutes(2);
    /**
     * The Kafka clients' INFO lines, which the shipped logback configs leave out, include their configuration dumps:
     * the likeliest place for a secret to leak. Searching them too makes the secrets check stronger than what an
     * operator sees by default.
     */
    private static final String VERBOSE_LOGBACK = """
            <configuration>
              <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="STDERR"/></root>
            </configuration>
            """;

    private final Map<String, String> passwords = new LinkedHashMap<>();
    /** Everything the components printed, by where it came from. */
    private final Map<String, String> printed = new LinkedHashMap<>();

    @Test
    void shouldRunEveryComponentWithOnlyTheDocumentedAclsAndNeverPrintASecret(@TempDir Path dir) throws Exception {
        KafkaAclTable table = KafkaAclTable.load();
        BrokerSecurity security = BrokerSecurity.saslSsl(TestCertificates.newAuthority(dir.resolve("ca"), "cachep-test-ca"));
        Path logback = Files.writeString(dir.resolve("verbose-logback.xml"), VERBOSE_LOGBACK);
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withSecurity(security));
             RedisServer redis = RedisServer.start(RedisServer.Options.defaults());
             AclGrants grants = new AclGrants(broker.clientProperties());
             Admin admin = Admin.create(broker.clientProperties())) {
            TopicSetup.apply(broker.clientProperties(), TopicSpecLoader.load(Path.of("..", "topics")));
            ProjectionRules rules = RulesFileLoader.load(RULES);
            Names names = new Names(rules.topics(), DLQ, APP);
            for (String user : List.of("producer", "projector", "operator")) {
                passwords.put(user, BrokerSecurity.randomPassword());
                broker.addScramUser(user, passwords.get(user));
            }
            Map<String, String> common = Map.of("PROJECTOR_RULES_FILE", RULES.toAbsolutePath().toString(),
                    "PROJECTOR_REDIS_URI", redis.uri(), "PROJECTOR_APPLICATION_ID", APP, "PROJECTOR_DLQ_TOPIC", DLQ,
                    "PROJECTOR_HTTP_PORT", "0", "CACHEP_JAVA_OPTS", "-Xmx512m -Dlogback.configurationFile=" + logback,
                    // verify projects events over projector.max.event.bytes, which the projector dead-letters; with
                    // the limit at what the topics accept, the two agree (producer-demo's too-large kind applies).
                    "PROJECTOR_MAX_EVENT_BYTES", "2097152");
            Map<String, String> asProducer = environment(broker, "producer", common);
            Map<String, String> asProjector = environment(broker, "projector", common);
            Map<String, String> asOperator = environment(broker, "operator", common);

            grant(grants, "producer", table.row("producer-demo"), names);
            LauncherRun produced = run(dir, asProducer, "producer-demo", "--scenario", "mixed", "--rate", "100",
                    "--duration", "3s", "--poison", "0.05", "--seed", "14", "-o", "json");
            assertThat(produced.exit()).as(produced.both()).isZero();
            long poison = poisonCount(produced.out());
            assertThat(poison).as("poison records sent").isGreaterThan(5);

            LauncherRun refused = run(dir, asProjector, "projector");
            assertThat(refused.exit()).as("a projector without its ACLs fails: %s", refused.both()).isEqualTo(1);
            assertThat(refused.err()).as(refused.both()).contains("projector failed: Kafka denied the projector's user:"
                    + " Not authorized to access topics", "Read on group " + APP, "Write on topic " + DLQ,
                    "docs/security.md");

            grant(grants, "projector", table.row("projector"), names);
            Path projectorLogs = Files.createDirectories(dir.resolve("projector"));
            try (ProjectorProcess projector = new ProjectorProcess(asProjector, projectorLogs).start()) {
                awaitProjected(admin, projector, rules.topics(), poison);

                grant(grants, "operator", table.row("dlq-tool config"), names);
                LauncherRun config = run(dir, asOperator, "dlq-tool", "config", "-o", "json");
                assertThat(config.exit()).as(config.both()).isZero();
                assertThat(new ObjectMapper().readTree(config.out()).get("projector.kafka.sasl.jaas.config").asText())
                        .isEqualTo("[hidden]");

                grant(grants, "operator", table.row("dlq-tool status"), names);
                LauncherRun status = run(dir, asOperator, "dlq-tool", "status", "-o", "json");
                assertThat(status.exit()).as(status.both()).isZero();
                JsonNode state = new ObjectMapper().readTree(status.out());
                assertThat(state.at("/group/state").asText()).as(status.both()).isEqualTo("Stable");
                assertThat(state.at("/group/members")).as(status.both()).hasSize(1);
                assertThat(state.at("/totalLag").asLong()).as(status.both()).isZero();
                assertThat(state.at("/dlq/records").asLong()).as(status.both()).isEqualTo(poison);

                grant(grants, "operator", table.row("dlq-tool dlq list"), names);
                LauncherRun listed = run(dir, asOperator, "dlq-tool", "dlq", "list", "--limit", "0", "-o", "json");
                assertThat(listed.exit()).as(listed.both()).isZero();
                assertThat(listed.out().lines()).as(listed.both()).hasSize((int) poison);

                // Without Write on the source topics, dlq replay's producer may not even start: nothing is sent.
                Map<TopicPartition, Long> logEnds = endOffsets(admin, rules.topics());
                LauncherRun notAllowed = run(dir, asOperator, "dlq-tool", "dlq", "replay", "--execute");
                assertThat(notAllowed.exit()).as(notAllowed.both()).isEqualTo(1);
                assertThat(notAllowed.err()).as(notAllowed.both()).contains("replay failed:", "authorization failed",
                        "docs/security.md (section Kafka) lists the ACLs each dlq-tool command needs");
                assertThat(endOffsets(admin, rules.topics())).as("nothing replayed").isEqualTo(logEnds);

                LauncherRun producerReadsDlq = run(dir, asProducer, "dlq-tool", "dlq", "inspect", "0:0");
                assertThat(producerReadsDlq.exit()).as(producerReadsDlq.both()).isEqualTo(1);
                assertThat(producerReadsDlq.err()).as("a producer may not read the DLQ: %s", producerReadsDlq.both())
                        .contains("inspect failed: Not authorized to access topics: [" + DLQ + "]", "docs/security.md");

                grant(grants, "operator", table.row("dlq-tool verify"), names);
                assertEqual(run(dir, asOperator, "dlq-tool", "verify"));

                grant(grants, "operator", table.row("dlq-tool dlq replay"), names);
                LauncherRun replayed = run(dir, asOperator, "dlq-tool", "dlq", "replay", "--execute", "-o", "json");
                assertThat(replayed.exit()).as(replayed.both()).isZero();
                assertThat(new ObjectMapper().readTree(replayed.out()).get("replayed").asLong()).isEqualTo(poison);
                // Still poison: the projector dead-letters each again, and Redis stays what the log implies.
                awaitProjected(admin, projector, rules.topics(), 2 * poison);

                grant(grants, "operator", table.row("dlq-tool verify"), names);
                assertEqual(run(dir, asOperator, "dlq-tool", "verify"));

                assertThat(projector.stop()).as("a clean stop").isZero();
            }
            try (Stream<Path> logs = Files.list(projectorLogs)) {
                for (Path log : logs.toList()) {
                    printed.put("bin/projector " + log.getFileName(), Files.readString(log));
                }
            }
        }
        assertNoSecretPrinted(security);
    }

    /** The user's login as PROJECTOR_KAFKA_* variables, the way docs/security.md configures it, on top of {@code common}. */
    private Map<String, String> environment(KafkaBroker broker, String user, Map<String, String> common) {
        Map<String, String> env = new HashMap<>(common);
        broker.clientProperties(user, passwords.get(user)).forEach((key, value) ->
                env.put(EnvironmentNames.forKey(ProjectorConfig.KAFKA_PREFIX + key), String.valueOf(value)));
        return env;
    }

    private static void grant(AclGrants grants, String user, Set<Acl> row, Names names) throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        row.forEach(acl -> bindings.addAll(acl.bind("User:" + user, names)));
        grants.grantExactly("User:" + user, bindings);
    }

    private LauncherRun run(Path dir, Map<String, String> env, String launcher, String... args) throws Exception {
        LauncherRun run = LauncherRun.of(dir.resolve("runs"), env, launcher, args);
        printed.put(String.join(" ", run.command()) + " (#" + printed.size() + ")", run.out() + run.err());
        return run;
    }

    private static void assertEqual(LauncherRun verify) {
        assertThat(verify.exit()).as(verify.both()).isZero();
        assertThat(verify.out()).as(verify.both()).contains("EQUAL: Redis holds exactly what the log implies");
    }

    /** The records the projector dead-letters: every poison kind but too-large, which its limit here lets through. */
    private static long poisonCount(String producerReport) throws Exception {
        long poison = 0;
        for (Map.Entry<String, JsonNode> kind : new ObjectMapper().readTree(producerReport).get("byKind").properties()) {
            if (kind.getKey().startsWith("poison:") && !kind.getKey().equals("poison:too-large")) {
                poison += kind.getValue().asLong();
            }
        }
        return poison;
    }

    /** Waits until the projector's commits reach the end of every source partition and the DLQ holds {@code dlq}. */
    private static void awaitProjected(Admin admin, ProjectorProcess projector, Set<String> topics, long dlq) {
        Awaitility.await("the projector catches up and dead-letters " + dlq + " records").atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(500))
                .failFast("bin/projector exited", () -> !projector.isAlive())
                .until(() -> caughtUp(admin, topics)
                        && endOffsets(admin, Set.of(DLQ)).values().stream().mapToLong(Long::longValue).sum() == dlq);
    }

    private static boolean caughtUp(Admin admin, Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP)
                .partitionsToOffsetAndMetadata().get();
        return endOffsets(admin, topics).entrySet().stream().allMatch(end -> end.getValue() == 0
                || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue()));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private void assertNoSecretPrinted(BrokerSecurity security) {
        Map<String, String> secrets = new LinkedHashMap<>();
        passwords.forEach((user, password) -> {
            secrets.put(user + "'s password", password);
            secrets.put(user + "'s JAAS config", BrokerSecurity.jaasConfig(user, password));
        });
        secrets.put("the super user's password", security.adminPassword());
        assertThat(printed).as("outputs searched").hasSizeGreaterThanOrEqualTo(10);
        assertThat(printed.values()).as("the Kafka clients' configuration dumps are among them, the JAAS config hidden")
                .anyMatch(text -> text.contains("sasl.jaas.config = [hidden]"));
        printed.forEach((source, text) -> secrets.forEach((secret, value) ->
                assertThat(text).as("%s printed %s", source, secret).doesNotContain(value)));
    }
}
