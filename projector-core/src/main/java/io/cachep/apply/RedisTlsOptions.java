package io.cachep.apply;

import io.cachep.config.PemFiles;
import io.cachep.config.RedisTls;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce's TLS options from cachep's {@link RedisTls}: the PEM files become in-memory key and trust stores (no
 * JVM trust store to build by hand, no keystore password to manage), read by the same {@link PemFiles} code that
 * validated them at startup.
 */
final class RedisTlsOptions {
    private static final Logger log = LoggerFactory.getLogger(RedisTlsOptions.class);
    private static final char[] IN_MEMORY_STORE_PASSWORD = new char[0];

    private RedisTlsOptions() {}

    static SslVerifyMode verifyMode(RedisTls tls) {
        return switch (tls.verify()) {
            case FULL -> SslVerifyMode.FULL;
            case CA -> SslVerifyMode.CA;
            case NONE -> SslVerifyMode.NONE;
        };
    }

    static SslOptions of(RedisTls tls) {
        if (tls.verify() == RedisTls.Verify.NONE) {
            log.warn("TLS VERIFICATION IS OFF (projector.redis.tls.verify=none): anyone who answers at the Redis"
                    + " address is trusted with every write and the password. Use it for tests only.");
        }
        SslOptions.Builder builder = SslOptions.builder().jdkSslProvider();
        tls.caFile().ifPresent(ca -> builder.trustManager(trustManagers(ca)));
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            builder.keyManager(keyManagers(tls.certFile().get(), tls.keyFile().get()));
        }
        return builder.build();
    }

    private static TrustManagerFactory trustManagers(Path caFile) {
        try {
            KeyStore store = emptyStore();
            List<X509Certificate> authorities = PemFiles.certificates(caFile);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (PemFiles.PemException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use projector.redis.tls.ca.file: " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path certFile, Path keyFile) {
        try {
            List<X509Certificate> chain = PemFiles.certificates(certFile);
            PrivateKey key = PemFiles.privateKey(keyFile);
            KeyStore store = emptyStore();
            store.setKeyEntry("client", key, IN_MEMORY_STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_STORE_PASSWORD);
            return factory;
        } catch (PemFiles.PemException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use projector.redis.tls.cert.file/key.file: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
