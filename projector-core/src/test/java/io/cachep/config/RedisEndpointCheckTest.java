package io.cachep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cachep.devstack.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The startup checks of the Redis endpoint (cluster and WAIT settings, credentials, TLS files): every problem listed at
 * once, named, never a secret.
 */
class RedisEndpointCheckTest {
    @TempDir
    Path dir;

    private Map<String, String> env;

    @BeforeEach
    void requiredSettings() throws IOException {
        env = new HashMap<>();
        env.put("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        env.put("PROJECTOR_RULES_FILE", Files.writeString(dir.resolve("rules.yaml"), "rules: []\n").toString());
    }

    @Test
    void aUserWithoutAPasswordTakesTheConfiguredPassword() {
        env.put("PROJECTOR_REDIS_URI", "rediss://cachep@redis.internal:6380/0");
        env.put("PROJECTOR_REDIS_PASSWORD", "pw-s3cret");

        RedisEndpoint redis = load().redis();

        assertThat(redis.username()).contains("cachep");
        assertThat(redis.password()).contains("pw-s3cret");
        assertThat(redis.redactedUri()).isEqualTo("rediss://cachep:[hidden]@redis.internal:6380/0");
        assertThat(redis.tlsSettings()).isEqualTo(RedisTls.DEFAULT);
    }

    @Test
    void aUserWithoutAnyPasswordIsRefusedWithoutQuotingWhatWasWrittenThere() {
        env.put("PROJECTOR_REDIS_URI", "redis://mistaken-s3cret@cache:6379");

        assertThat(problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("projector.redis.uri (from environment PROJECTOR_REDIS_URI) names a user")
                .contains("PROJECTOR_REDIS_PASSWORD").contains("user:@")
                .doesNotContain("mistaken-s3cret"));
    }

    @Test
    void anExplicitlyEmptyPasswordIsANopassUser() {
        env.put("PROJECTOR_REDIS_URI", "redis://reader:@cache:6379");

        RedisEndpoint redis = load().redis();

        assertThat(redis.username()).contains("reader");
        assertThat(redis.password()).isEmpty();
    }

    @Test
    void validTlsFilesAreTakenAsConfigured() {
        TestCertificates ca = TestCertificates.newAuthority(dir.resolve("ca"), "test-ca");
        TestCertificates.Issued client = ca.issue("projector");
        env.put("PROJECTOR_REDIS_URI", "rediss://cache:6380");
        env.put("PROJECTOR_REDIS_TLS_CA_FILE", ca.authorityCertificate().toString());
        env.put("PROJECTOR_REDIS_TLS_CERT_FILE", client.certificate().toString());
        env.put("PROJECTOR_REDIS_TLS_KEY_FILE", client.privateKey().toString());
        env.put("PROJECTOR_REDIS_TLS_VERIFY", "ca");

        RedisTls tls = load().redis().tlsSettings();

        assertThat(tls.caFile()).contains(ca.authorityCertificate());
        assertThat(tls.certFile()).contains(client.certificate());
        assertThat(tls.keyFile()).contains(client.privateKey());
        assertThat(tls.verify()).isEqualTo(RedisTls.Verify.CA);
    }

    @Test
    void everyTlsProblemIsListedAtOnce() throws IOException {
        TestCertificates ca = TestCertificates.newAuthority(dir.resolve("ca"), "test-ca");
        TestCertificates.Issued one = ca.issue("one");
        TestCertificates.Issued other = ca.issue("other");
        env.put("PROJECTOR_REDIS_URI", "rediss://cache:6380");
        env.put("PROJECTOR_REDIS_TLS_CA_FILE", dir.resolve("missing-ca.pem").toString());
        env.put("PROJECTOR_REDIS_TLS_CERT_FILE", one.certificate().toString());
        env.put("PROJECTOR_REDIS_TLS_KEY_FILE", other.privateKey().toString());
        env.put("PROJECTOR_REDIS_TLS_VERIFY", "sometimes");

        assertThat(problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("projector.redis.tls.ca.file").contains("missing-ca.pem does not exist"))
                .anySatisfy(p -> assertThat(p).contains("projector.redis.tls.key.file")
                        .contains("does not belong to the certificate in " + one.certificate()))
                .anySatisfy(p -> assertThat(p).contains("projector.redis.tls.verify").contains("sometimes"));
    }

    @Test
    void keysInFormatsThatNeedConvertingSayHow() throws IOException {
        TestCertificates ca = TestCertificates.newAuthority(dir.resolve("ca"), "test-ca");
        TestCertificates.Issued client = ca.issue("projector");
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
        Path notPem = Files.write(dir.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 0x01, 0x0a});
        env.put("PROJECTOR_REDIS_URI", "rediss://cache:6380");
        env.put("PROJECTOR_REDIS_TLS_CA_FILE", notPem.toString());
        env.put("PROJECTOR_REDIS_TLS_CERT_FILE", client.certificate().toString());
        env.put("PROJECTOR_REDIS_TLS_KEY_FILE", pkcs1.toString());

        assertThat(problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("ca.der holds no PEM certificate").contains("openssl x509 -inform der"))
                .anySatisfy(p -> assertThat(p).contains("RSA PRIVATE KEY").contains("openssl pkcs8 -topk8 -nocrypt"));
    }

    @Test
    void tlsOptionsOnAPlainUriAndACertificateWithoutItsKeyAreRefused() {
        TestCertificates ca = TestCertificates.newAuthority(dir.resolve("ca"), "test-ca");
        env.put("PROJECTOR_REDIS_URI", "redis://cache:6379");
        env.put("PROJECTOR_REDIS_TLS_CERT_FILE", ca.issue("projector").certificate().toString());

        assertThat(problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("plain redis:// URI").contains("use rediss://"))
                .anySatisfy(p -> assertThat(p).contains("projector.redis.tls.cert.file")
                        .contains("without projector.redis.tls.key.file (PROJECTOR_REDIS_TLS_KEY_FILE)"));
    }

    @Test
    void aClusterTakesASeedListAndTheWaitSettings() {
        env.put("PROJECTOR_REDIS_URI", "redis://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000");
        env.put("PROJECTOR_REDIS_CLUSTER", "true");
        env.put("PROJECTOR_REDIS_WAIT_REPLICAS", "1");
        env.put("PROJECTOR_REDIS_WAIT_TIMEOUT_MS", "500");

        ProjectorConfig config = load();

        assertThat(config.redis().cluster()).isTrue();
        assertThat(config.redis().seeds()).extracting(Seed::port).containsExactly(7000, 7000, 7000);
        assertThat(config.redisWaitReplicas()).isEqualTo(1);
        assertThat(config.redisWaitTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void aSeedListWithoutClusterModeAndADatabaseOnAClusterAreRefused() {
        env.put("PROJECTOR_REDIS_URI", "redis://10.0.0.1:7000,10.0.0.2:7000");
        assertThat(problems()).singleElement().satisfies(p -> assertThat(p).contains("lists 2 hosts, a seed list")
                .contains("projector.redis.cluster=true (PROJECTOR_REDIS_CLUSTER)"));

        env.put("PROJECTOR_REDIS_URI", "redis://10.0.0.1:7000/3");
        env.put("PROJECTOR_REDIS_CLUSTER", "true");
        assertThat(problems()).singleElement().satisfies(p -> assertThat(p).contains("has only database 0"));
    }

    @Test
    void aWaitTimeoutNotBelowTheCommandTimeoutIsRefused() {
        env.put("PROJECTOR_REDIS_WAIT_REPLICAS", "1");
        env.put("PROJECTOR_REDIS_WAIT_TIMEOUT_MS", "2000");
        assertThat(problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("projector.redis.wait.timeout.ms (from environment PROJECTOR_REDIS_WAIT_TIMEOUT_MS) is 2000 ms")
                .contains("not below projector.redis.command.timeout.ms (from default) (2000 ms)"));

        env.put("PROJECTOR_REDIS_COMMAND_TIMEOUT_MS", "3000");
        assertThat(load().redisWaitTimeout()).isEqualTo(java.time.Duration.ofMillis(2000));
    }

    private ProjectorConfig load() {
        return new ConfigLoader(env).load(Optional.empty(), Map.of());
    }

    private java.util.List<String> problems() {
        return catchThrowableOfType(InvalidConfigurationException.class, this::load).problems();
    }
}
