package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.EntrySnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify, verify --repair and rebuild on a log far larger than their heap could hold as lists: 300,000 events (the
 * releases before this one kept about 1.1 KB of heap per event, 330 MB here), each command a separate JVM with
 * {@code -Xmx96m}, as {@code CACHEP_JAVA_OPTS=-Xmx96m bin/dlq-tool} runs it. Redis starts empty; the repair fills it,
 * the rebuild rebuilds it beside, and after each Redis must equal the reference projection of the log, computed here.
 */
@ExtendWith(DevStackExtension.class)
class RecoveryInSmallHeapIT {
    private static final int EVENTS = 300_000;
    private static final int ITEMS = 20_000;
    private static final String HEAP = "-Xmx96m";

    @Test
    void shouldVerifyRepairAndRebuildALogLargerThanTheHeapWouldHoldAsLists(DevStack stack, TestIsolation isolation,
                                                                          @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, RebuildBesideProjectorIT.FIXED_RULES, 3, 1);
        produce(stack, deployment.topic());

        Run repair = dlqTool(deployment, dir, "verify", "--repair", "--execute", "--state-heap", "8");
        assertThat(repair.exit()).as(repair.output()).isZero();
        assertThat(repair.output()).contains("EQUAL").containsPattern("repaired [1-9][0-9]* entries");
        assertEqualsTheModel(deployment);

        Run rebuild = dlqTool(deployment, dir, "rebuild", "--namespace", deployment.namespace(), "--execute");
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertEqualsTheModel(deployment);

        Run verify = dlqTool(deployment, dir, "verify", "--state-heap", "8");
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("EQUAL").contains(String.format("%,d", EVENTS));
    }

    /** Items saved and removed (tagged by tenant, listed in the tenant's set), profiles merged, tenants flushed. */
    private static void produce(DevStack stack, String topic) throws Exception {
        ItemEvents events = new ItemEvents(topic, new Random(13), ITEMS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.bootstrapServers(), "linger.ms", "20", "batch.size", "262144"), new StringSerializer(),
                new ByteArraySerializer())) {
            int sent = 0;
            while (sent < EVENTS) {
                List<ProducerRecord<String, byte[]>> records = sent % 50_000 == 49_999
                        ? List.of(events.flush(ItemEvents.tenantOf(sent))) : events.next();
                for (ProducerRecord<String, byte[]> record : records) {
                    if (sent++ < EVENTS) {
                        producer.send(record);
                    }
                }
            }
            producer.flush();
        }
    }

    /** The judge: Redis against the reference projection of the whole log, read here, where the heap is large. */
    private static void assertEqualsTheModel(TestDeployment deployment) throws Exception {
        ModelOfTheLog model = ModelOfTheLog.read(deployment);
        assertThat(model.events()).isEqualTo(EVENTS);
        Map<String, EntrySnapshot> expected = model.expected();
        try (RedisTarget redis = deployment.redis()) {
            Map<String, EntrySnapshot> actual = RedisSnapshots.read(redis, new KeyLayout(deployment.namespace()));
            assertThat(actual.keySet()).hasSize(expected.size()).isEqualTo(expected.keySet());
            assertThat(actual).isEqualTo(expected);
        }
    }

    private record Run(int exit, String output) {}

    /** {@code bin/dlq-tool ARGS} with {@code CACHEP_JAVA_OPTS=-Xmx96m}: this module's classes in a JVM of their own. */
    private static Run dlqTool(TestDeployment deployment, Path dir, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, HEAP,
                "-Dlogback.configurationFile=io/cachep/dlqtool/logback.xml", DlqToolMain.class.getName()));
        command.addAll(List.of(args));
        Path output = dir.resolve(args[0] + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(deployment.env());
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("dlq-tool " + String.join(" ", args) + " did not end within 10 minutes:\n"
                    + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }
}
