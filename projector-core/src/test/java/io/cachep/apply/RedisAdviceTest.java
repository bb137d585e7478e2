package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisConnectionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** TLS handshake failures, in the JDK's words, become what to set. */
class RedisAdviceTest {

    private static Throwable connectFailure(String handshakeMessage) {
        return new RedisConnectionException("Unable to connect to cache:6380", new SSLHandshakeException(handshakeMessage));
    }

    @Test
    void aHostNameTheCertificateDoesNotHoldPointsAtTheUriOrVerifyCa() {
        assertThat(RedisAdvice.explain(connectFailure("No subject alternative DNS name matching cache found.")))
                .hasValueSatisfying(advice -> assertThat(advice).contains("does not name the host in projector.redis.uri")
                        .contains("projector.redis.tls.verify=ca"));
    }

    @Test
    void anUntrustedServerAndAMissingOrRefusedClientCertificateNameTheirSettings() {
        assertThat(RedisAdvice.explain(connectFailure("PKIX path building failed: unable to find valid certification"
                + " path to requested target"))).hasValueSatisfying(a -> assertThat(a).contains("projector.redis.tls.ca.file"));
        assertThat(RedisAdvice.explain(connectFailure("Received fatal alert: certificate_required")))
                .hasValueSatisfying(a -> assertThat(a).contains("projector.redis.tls.cert.file and projector.redis.tls.key.file"));
        assertThat(RedisAdvice.explain(connectFailure("Received fatal alert: unknown_ca")))
                .hasValueSatisfying(a -> assertThat(a).contains("tls-ca-cert-file"));
    }

    @Test
    void otherConnectFailuresAreLeftAsTheyAre() {
        assertThat(RedisAdvice.explain(new RedisConnectionException("Unable to connect to cache:6380",
                new java.net.ConnectException("Connection refused")))).isEmpty();
    }
}
