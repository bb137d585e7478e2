package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.verify.share.SharedVerify;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes (JVMs of their own, as on two machines) share one verify, {@code verify --run ID}: the log feeds
 * {@code user:{u}:sessions} from two topics with different record keys (session events keyed by session, user events
 * keyed by user) and invalidates a tag from the second topic, so the shares must follow entries, not source
 * partitions. Redis holds a faithful projection with one divergence of each kind injected; both processes must
 * report exactly what the reference model, computed here, says diverges, each must have compared a share of its own,
 * and once Redis is repaired a second run is equal.
 */
@ExtendWith(DevStackExtension.class)
class SharedVerifyIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: session-started
                topic: ${sessions}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { user: "{data.user}", device: "{data.device}" }, tags: ["user:{data.user}"] }
                  - set-add: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: session-ended
                topic: ${sessions}
                type: ended
                mutations:
                  - delete: { key: "session:{subject}" }
                  - set-remove: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: user-renamed
                topic: ${users}
                type: renamed
                mutations:
                  - merge: { key: "profile:{subject}", hash-from: data }
              - name: user-signed-out
                topic: ${users}
                type: signed-out
                mutations:
                  - delete: { key: "user:{subject}:sessions" }
                  - invalidate-tag: { tag: "user:{subject}" }
            """;
    private static final int USERS = 300;
    private static final int SESSIONS = 12_000;
    private static final int SHARES = 4;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    @Test
    void shouldShareAVerifyBetweenTwoProcessesAndReportExactlyTheInjectedDivergences(
            DevStack stack, TestIsolation isolation, @TempDir Path dir) throws Exception {
        String sessions = isolation.topic("sessions");
        String users = isolation.topic("users");
        String namespace = isolation.keyPrefix();
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(
                new TopicSpec(sessions, 3, (short) 1, Map.of()), new TopicSpec(users, 2, (short) 1, Map.of())));
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"), RULES.replace("${namespace}", namespace)
                .replace("${sessions}", sessions).replace("${users}", users));
        Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toString());
        produce(stack, sessions, users);

        // A faithful projection: a single-process repair fills the empty namespace from the log.
        Run fill = dlqTool(env, dir, "verify", "--repair", "--execute");
        assertThat(fill.exit()).as(fill.output()).isZero();

        RuleEngine engine = new RuleEngine(RulesFileLoader.load(rulesFile));
        KeyLayout layout = engine.layout();
        try (RedisTarget redis = RedisTarget.connect(new io.cachep.config.ConfigLoader(env)
                .load(java.util.Optional.empty(), Map.of()).redis(), null)) {
            RedisClusterCommands<String, String> sync = redis.sync();
            String signedOutUser = namespace + ":user:{u-3}:sessions";
            assertThat(sync.exists(signedOutUser)).as("u-3 signed out after its sessions").isZero();
            sync.hset(namespace + ":session:{s-101}", "device", "tampered");
            sync.del(namespace + ":session:{s-102}");
            sync.set(namespace + ":session:{ghost}", "left over");
            sync.pexpire(namespace + ":profile:{u-7}", 5_000_000);
            sync.srem(namespace + ":user:{u-10}:sessions", "s-10");
            sync.set(namespace + ":user:{u-11}:sessions", "a string where a set belongs");

            List<Divergence> injected = Divergence.between(ModelOfTheLog.read(engine, stack.bootstrapServers()).expected(),
                    RedisSnapshots.read(redis, layout));
            assertThat(injected).extracting(Divergence::kind).containsExactlyInAnyOrder(Divergence.Kind.values());

            List<Run> divergent = sharedVerify(env, dir, "nightly-1");
            Set<Integer> compared = new TreeSet<>();
            for (Run run : divergent) {
                assertThat(run.exit()).as(run.output()).isEqualTo(3);
                assertThat(run.output()).contains("DIVERGENT: " + injected.size() + " entries differ");
                for (Divergence d : injected) {
                    assertThat(run.output()).contains(d.kind().name() + " ").contains(d.key());
                }
                Set<Integer> mine = comparedShares(run.output());
                assertThat(mine).as("each process compares a share of its own\n" + run.output()).isNotEmpty();
                assertThat(compared).as("no share is compared twice").doesNotContainAnyElementsOf(mine);
                compared.addAll(mine);
            }
            assertThat(compared).containsExactly(0, 1, 2, 3);
            assertThat(VerificationRecord.divergent(sync, layout)).hasValue(injected.size());
            assertThat(sync.exists(layout.verifyRun("nightly-1"))).as("the run's descriptor stays").isOne();
            assertThat(sync.ttl(layout.verifyRun("nightly-1"))).isPositive();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                String applicationId = SharedVerify.applicationId(namespace, "nightly-1");
                assertThat(admin.listTopics().names().get()).noneMatch(topic -> topic.startsWith(applicationId));
            }

            Run repaired = dlqTool(env, dir, "verify", "--repair", "--execute");
            assertThat(repaired.exit()).as(repaired.output()).isZero();
            for (Run run : sharedVerify(env, dir, "nightly-2")) {
                assertThat(run.exit()).as(run.output()).isZero();
                assertThat(run.output()).contains("EQUAL");
            }
            assertThat(VerificationRecord.divergent(sync, layout)).hasValue(0);
        }
    }

    /**
     * Users' sessions start (keyed by session id) and some end; some users are renamed, and u-0 to u-4 sign out
     * (keyed by user id) after their sessions started: their session lists go and their sessions are invalidated by tag.
     */
    private static void produce(DevStack stack, String sessions, String users) throws Exception {
        Instant start = Instant.now().minus(Duration.ofMinutes(30));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.bootstrapServers(), "linger.ms", "20"), new StringSerializer(), new ByteArraySerializer())) {
            for (int s = 0; s < SESSIONS; s++) {
                String session = "s-" + s;
                String user = "u-" + (s % USERS);
                producer.send(new ProducerRecord<>(sessions, session, CloudEvents.event("started", session, 1,
                        start.plusMillis(s), Map.of("user", user, "device", s % 2 == 0 ? "ios" : "web"))));
                if (s % 7 == 6) {
                    producer.send(new ProducerRecord<>(sessions, session, CloudEvents.event("ended", session, 2,
                            start.plusMillis(s + 1), Map.of("user", user))));
                }
            }
            for (int u = 0; u < USERS; u++) {
                String user = "u-" + u;
                producer.send(new ProducerRecord<>(users, user, CloudEvents.event("renamed", user, 1,
                        start.plusSeconds(60), Map.of("name", "name-" + u))));
                if (u < 5) {
                    producer.send(new ProducerRecord<>(users, user, CloudEvents.event("signed-out", user, 2,
                            start.plusSeconds(120), Map.of())));
                }
            }
            producer.flush();
        }
    }

    private static Set<Integer> comparedShares(String output) {
        Matcher found = Pattern.compile("this process compared shares \\[([0-9, ]*)]").matcher(output);
        assertThat(found.find()).as(output).isTrue();
        Set<Integer> shares = new TreeSet<>();
        for (String share : found.group(1).split(",\\s*")) {
            if (!share.isBlank()) {
                shares.add(Integer.parseInt(share.trim()));
            }
        }
        return shares;
    }

    private record Run(int exit, String output) {}

    /** Two processes of one run, started together; waits for both (each within the deadline). */
    private static List<Run> sharedVerify(Map<String, String> env, Path dir, String run) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path output = dir.resolve(run + "-" + i + ".log");
            outputs.add(output);
            processes.add(start(env, output, "verify", "--run", run, "--shares", Integer.toString(SHARES)));
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Run done = await(processes.get(i), outputs.get(i));
            System.out.println("--- " + run + ", process " + i + ", exit " + done.exit() + "\n" + done.output());
            runs.add(done);
        }
        return runs;
    }

    private static Run dlqTool(Map<String, String> env, Path dir, String... args) throws Exception {
        Path output = dir.resolve(args[0] + "-" + System.nanoTime() + ".log");
        return await(start(env, output, args), output);
    }

    /** {@code bin/dlq-tool ARGS}: this module's classes in a JVM of their own. */
    private static Process start(Map<String, String> env, Path output, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dlogback.configurationFile=io/cachep/dlqtool/logback.xml", DlqToolMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = new HashMap<>(env);
        environment.put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Run await(Process process, Path output) throws Exception {
        if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dlq-tool did not end within " + RUN_TIMEOUT + ":\n" + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }
}
