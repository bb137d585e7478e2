package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.topics.ProducerSettings;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandType;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A Redis the projector cannot use at start (it refuses the password, wants one and gets none, or is not there)
 * is fatal: {@code bin/projector} stops at once with exit code 1 and one line saying what is wrong, no stack trace,
 * and neither password anywhere in its output or its log.
 */
@ExtendWith(DevStackExtension.class)
class FatalRedisAuthIT {
    static final String PASSWORD = "s3cret-pw";
    static final String WRONG_PASSWORD = "wr0ng-guess-pw";
    /** Far more than a refused connection takes, far less than a projector left running would. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private static RedisServer redis;

    /** What one run of the command line left behind. */
    record Run(int exit, String err, String out, String everythingPrinted) {}

    @BeforeAll
    static void startRedisThatRequiresAPassword() {
        redis = RedisServer.start(RedisServer.Options.defaults().withExtraArgs("--requirepass", PASSWORD));
        try (RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withPassword(PASSWORD.toCharArray()).build());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).as("the right password works").isEqualTo("PONG");
        }
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static Map<String, String> environment(DevStack stack, TestIsolation isolation, Path dir, String redisUri)
            throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), ProjectionEndToEndIT.RULES
                .replace("${topic}", isolation.topic("session-events")).replace("${namespace}", isolation.keyPrefix()));
        Map<String, String> environment = new HashMap<>();
        environment.put("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        environment.put("PROJECTOR_REDIS_URI", redisUri);
        environment.put("PROJECTOR_RULES_FILE", rules.toString());
        environment.put("PROJECTOR_APPLICATION_ID", isolation.applicationId());
        environment.put("PROJECTOR_DLQ_TOPIC", isolation.topic("dlq"));
        environment.put("PROJECTOR_HTTP_PORT", "0");
        return environment;
    }

    /**
     * Runs the projector's command line in-process, within {@link #DEADLINE}. Besides its own stdout and stderr,
     * everything the JVM prints meanwhile (the log included) is captured, to look for secrets and stack traces.
     */
    private static Run run(Map<String, String> environment) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, printed), true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = assertTimeoutPreemptively(DEADLINE, () -> {
                CommandLine cli = new CommandLine(new ProjectorMain(environment));
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(err, true));
                return cli.execute();
            }, "the projector stops within " + DEADLINE.toSeconds() + " s");
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String everything;
        synchronized (printed) {
            everything = printed.toString(StandardCharsets.UTF_8) + out + err;
        }
        return new Run(exit, err.toString(), out.toString(), everything);
    }

    private static void assertStoppedWithOneLine(Run run, int port, String problem) {
        assertThat(run.exit()).as("exit code").isEqualTo(ProjectorMain.EXIT_FAILED);
        assertThat(run.err().lines().toList()).as("stderr").singleElement().satisfies(line -> assertThat(line)
                .startsWith("projector failed: cannot use Redis at redis://")
                .contains("127.0.0.1:" + port)
                .containsIgnoringCase(problem));
        assertThat(run.out()).as("stdout").isEmpty();
        assertThat(run.everythingPrinted()).as("everything printed, the log included")
                .contains("effective configuration") // the log was captured, so the checks below looked at it
                .doesNotContain(PASSWORD)
                .doesNotContain(WRONG_PASSWORD)
                .doesNotContain("\tat "); // no stack trace
    }

    @Test
    void shouldExitOneWithOneLineWhenRedisRefusesThePassword(DevStack stack, TestIsolation isolation,
                                                              @TempDir Path dir) throws Exception {
        Map<String, String> environment = environment(stack, isolation, dir, redis.uri());
        environment.put("PROJECTOR_REDIS_PASSWORD", WRONG_PASSWORD);

        assertStoppedWithOneLine(run(environment), redis.port(), "WRONGPASS");
    }

    @Test
    void shouldExitOneWithOneLineWhenRedisWantsAPasswordAndGetsNone(DevStack stack, TestIsolation isolation,
                                                                    @TempDir Path dir) throws Exception {
        assertStoppedWithOneLine(run(environment(stack, isolation, dir, redis.uri())), redis.port(), "NOAUTH");
    }

    @Test
    void shouldExitOneWithOneLineWhenTheWrongPasswordIsInTheUri(DevStack stack, TestIsolation isolation,
                                                                @TempDir Path dir) throws Exception {
        Run run = run(environment(stack, isolation, dir,
                "redis://default:" + WRONG_PASSWORD + "@127.0.0.1:" + redis.port()));

        assertStoppedWithOneLine(run, redis.port(), "WRONGPASS");
    }

    @Test
    void shouldExitOneWithOneLineWhenNothingListensOnTheRedisPort(DevStack stack, TestIsolation isolation,
                                                                  @TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = run(environment(stack, isolation, dir, "redis://127.0.0.1:" + closedPort));

        assertStoppedWithOneLine(run, closedPort, "Connection refused");
    }

    @Test
    void shouldExitOneWithOneLineNamingTheGrantWhenTheAclUserMayNotLoadTheLibrary(DevStack stack, TestIsolation isolation,
                                                                                 @TempDir Path dir) throws Exception {
        // Everything the projector's line in docs/security.md grants but FUNCTION LOAD.
        Map<String, String> environment = environmentOfAclUser(stack, isolation, dir, "no-functions", CommandType.FUNCTION);

        Run run = run(environment);

        assertStoppedWithOneLine(run, redis.port(), "the Redis user may not run 'function|load': grant +function|load"
                + " (ACL category @scripting)");
    }

    @Test
    void shouldStopWithOneLineNamingTheCommandWhenAFunctionRunsOneTheUserMayNot(DevStack stack, TestIsolation isolation,
                                                                                @TempDir Path dir) throws Exception {
        Map<String, String> environment = environmentOfAclUser(stack, isolation, dir, "no-hset", CommandType.HSET);
        String topic = isolation.topic("session-events");
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()),
                List.of(new TopicSpec(topic, 1, (short) 1, Map.of())));
        Map<String, Object> producerConfig = new HashMap<>(ProducerSettings.lossless());
        producerConfig.put("bootstrap.servers", stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "s-1", TestEvents.sessionEvent(
                    ProjectionEndToEndIT.STARTED, "s-1", 1, Instant.now(), "ios"))).get();
        }

        Run run = run(environment);

        assertThat(run.exit()).as(run.everythingPrinted()).isEqualTo(ProjectorMain.EXIT_FAILED);
        assertThat(run.err().lines().toList()).as("stderr").singleElement().satisfies(line -> assertThat(line)
                .startsWith("projector failed: Redis refused the writes of ")
                .contains("the Redis user may not run 'hset' inside cachep's Redis function ")
                .contains("grant +hset (ACL category @write)"));
        assertThat(run.everythingPrinted()).doesNotContain(PASSWORD);
    }

    /**
     * The environment of a projector that logs in as a new ACL user (named after {@code name} and the test, its
     * password given apart from the URI): the namespace's keys and every command but the {@code @dangerous} ones
     * and {@code denied}.
     */
    private static Map<String, String> environmentOfAclUser(DevStack stack, TestIsolation isolation, Path dir,
                                                            String name, CommandType denied) throws Exception {
        String user = name + "-" + isolation.applicationId().hashCode();
        try (RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withPassword(PASSWORD.toCharArray()).build());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().aclSetuser(user, AclSetuserArgs.Builder.on().addPassword(PASSWORD)
                    .keyPattern(isolation.keyPrefix() + ":*").allCommands().removeCategory(AclCategory.DANGEROUS)
                    .removeCommand(denied));
        }
        Map<String, String> environment = environment(stack, isolation, dir, "redis://" + user + "@127.0.0.1:" + redis.port());
        environment.put("PROJECTOR_REDIS_PASSWORD", PASSWORD);
        return environment;
    }

    /** Writes to the stream it replaces and to a copy. */
    private static final class Tee extends OutputStream {
        private final PrintStream original;
        private final ByteArrayOutputStream copy;

        Tee(PrintStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            original.write(b, off, len);
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
