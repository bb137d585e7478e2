package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

    @Test
    void shouldDefaultToFreePortsAndNoExtras() {
        assertThat(RedisServer.Options.defaults().port()).isEqualTo(RedisServer.Options.ANY_FREE_PORT);
        assertThat(RedisServer.Options.defaults().extraArgs()).isEmpty();
        assertThat(KafkaBroker.Options.defaults().port()).isEqualTo(KafkaBroker.Options.ANY_FREE_PORT);
        assertThat(KafkaBroker.Options.defaults().controllerPort()).isEqualTo(KafkaBroker.Options.ANY_FREE_PORT);
        assertThat(KafkaBroker.Options.defaults().startTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldBeImmutable() {
        List<String> args = new java.util.ArrayList<>(List.of("--appendonly", "yes"));
        RedisServer.Options options = RedisServer.Options.defaults().withExtraArgs(args);
        args.add("--requirepass");

        assertThat(options.extraArgs()).containsExactly("--appendonly", "yes");
        assertThatThrownBy(() -> options.extraArgs().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRejectWhatDevstackOwns() {
        assertThatThrownBy(() -> RedisServer.Options.defaults().withExtraArgs("--port", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> RedisServer.Options.defaults().withPort(70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> KafkaBroker.Options.defaults().withBrokerProperty("listeners", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listeners");
        assertThatThrownBy(() -> KafkaBroker.Options.defaults().withPort(9092).withControllerPort(9092))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
        assertThatThrownBy(() -> KafkaBroker.Options.defaults().withStartTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startTimeout");
    }

    @Test
    void shouldWriteACombinedNodeConfigWithCallerOverrides() {
        Map<String, String> properties = BrokerConfig.serverProperties(9092, 9093, Path.of("/tmp/x/data"),
                Map.of("num.partitions", "3"));

        assertThat(properties)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:9093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("log.dirs", "/tmp/x/data")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("num.partitions", "3");
    }

    @Test
    void shouldServeSaslSslWithTheAuthorizerAndKeepTheControllerPlaintextWhenSecured() {
        BrokerSecurity security = new BrokerSecurity(Path.of("/tmp/ca/ca.crt"), Path.of("/tmp/ca/broker.pem"), "s3cret");
        Map<String, String> properties = BrokerConfig.serverProperties(9092, 9093, Path.of("/tmp/x/data"),
                Optional.of(security), Map.of("super.users", "User:admin"));

        assertThat(properties)
                .containsEntry("listeners", "SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL")
                .containsEntry("inter.broker.listener.name", "SASL_SSL")
                .containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
                .containsEntry("ssl.keystore.location", "/tmp/ca/broker.pem")
                .containsEntry("ssl.truststore.location", "/tmp/ca/ca.crt")
                .containsEntry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("super.users", "User:admin"); // the caller's properties still win
        assertThat(security.clientProperties("projector", "pw"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"projector\" password=\"pw\";");
        assertThat(security.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldSayHowToInstallRedisWhenItIsNotOnThePath(@TempDir Path emptyDir) throws Exception {
        assertThat(RedisExecutable.find(emptyDir.toString())).isEmpty();
        assertThat(RedisExecutable.find("")).isEmpty();
        assertThat(new RedisNotInstalledException()).hasMessage("redis-server not found on PATH; install it with "
                + "`apt-get install -y redis-server` (Debian/Ubuntu) or your OS's package");

        Path fake = Files.createFile(emptyDir.resolve("redis-server"));
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        assertThat(RedisExecutable.find("/nonexistent:" + emptyDir)).contains(fake);
    }

    @Test
    void shouldPickDistinctFreePorts() {
        int[] ports = FreePorts.pick(3);

        assertThat(ports).doesNotHaveDuplicates();
        for (int port : ports) {
            assertThat(port).isBetween(1, 65535);
        }
    }
}
