package io.cachep.devstack.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.devstack.DevStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class DevStackExtensionIT {
    // Order-independent: whichever test runs first records the stack, every other one must see the same.
    private static final AtomicReference<DevStack> FIRST_STACK = new AtomicReference<>();
    private static final Set<String> APPLICATION_IDS = ConcurrentHashMap.newKeySet();

    private final TestIsolation fromConstructor;
    private TestIsolation fromBeforeEach;

    DevStackExtensionIT(TestIsolation isolation) {
        this.fromConstructor = isolation;
    }

    @BeforeEach
    void setUp(TestIsolation isolation) {
        this.fromBeforeEach = isolation;
    }

    @Test
    void shouldResolveARunningStack(DevStack stack, TestIsolation isolation) throws Exception {
        assertSharedAndUnique(stack, isolation);
        assertThat(stack.kafka().isAlive()).isTrue();
        assertThat(stack.redis().isAlive()).isTrue();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(ping(stack.redis().port())).isEqualTo("+PONG");
    }

    @Test
    void shouldRefuseToPauseStopKillOrRestartTheSharedServers(DevStack stack) throws Exception {
        List<ThrowingCallable> disruptions = List.of(stack.kafka()::pause, stack.kafka()::stop, stack.kafka()::kill,
                stack.kafka()::restart, stack.redis()::pause, stack.redis()::stop, stack.redis()::kill,
                stack.redis()::restart);
        for (ThrowingCallable disruption : disruptions) {
            assertThatThrownBy(disruption).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shared by every test of this JVM")
                    .hasMessageContaining("starts its own");
        }
        long brokerPid = stack.kafka().pid();
        long redisPid = stack.redis().pid();
        assertThat(stack.kafka().isAlive()).isTrue();
        assertThat(stack.redis().isAlive()).isTrue();
        assertThat(ping(stack.redis().port())).as("redis-server %d still answers", redisPid).isEqualTo("+PONG");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).as("broker %d still answers", brokerPid).hasSize(1);
        }
    }

    @Test
    void shouldGiveATestThatAsksACluster(io.cachep.devstack.RedisCluster cluster) {
        assertThat(cluster.primaries()).hasSize(3);
        assertThat(cluster.replicas()).hasSize(3);
        assertThat(cluster.uri()).startsWith("redis://127.0.0.1:");
        assertThat(cluster.nodes()).allMatch(io.cachep.devstack.RedisServer::isAlive);
    }

    @Test
    void shouldGiveEachTestMethodItsOwnNames(DevStack stack, TestIsolation isolation) {
        assertSharedAndUnique(stack, isolation);
        // The method name is cut at 40 characters to keep topic and group names readable.
        assertThat(isolation.applicationId())
                .isEqualTo("it-should-give-each-test-method-its-own-nam-" + isolation.suffix());
        assertThat(isolation.topic("events")).isEqualTo("events-" + isolation.suffix());
        assertThat(isolation.keyPrefix()).isEqualTo("t" + isolation.suffix());
    }

    @Test
    void shouldHandTheSameIsolationToConstructorBeforeEachAndTest(TestIsolation isolation) {
        assertThat(fromConstructor).isSameAs(isolation);
        assertThat(fromBeforeEach).isSameAs(isolation);
    }

    @Nested
    class InANestedClass {
        @Test
        void shouldSeeTheSameStack(DevStack stack, TestIsolation isolation) {
            assertSharedAndUnique(stack, isolation);
        }
    }

    private static void assertSharedAndUnique(DevStack stack, TestIsolation isolation) {
        FIRST_STACK.compareAndSet(null, stack);
        assertThat(stack).isSameAs(FIRST_STACK.get());
        assertThat(APPLICATION_IDS.add(isolation.applicationId()))
                .as("application id %s already handed to another test", isolation.applicationId()).isTrue();
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII);
        }
    }
}
