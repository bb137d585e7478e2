package io.cachep.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS settings of a rediss:// endpoint: whom to trust, what to show for mutual TLS, and how strictly to check the
 * server. Holds paths, never key material, so it is safe to log.
 *
 * @param caFile   PEM bundle of the authorities to trust; empty means the JVM's default trust store
 * @param certFile PEM client certificate chain, for servers that require client certificates
 * @param keyFile  PEM (PKCS#8) private key of {@code certFile}
 */
public record RedisTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, Verify verify) {

    /** How the server's certificate is checked ({@value ProjectorConfig#REDIS_TLS_VERIFY_CONFIG}). */
    public enum Verify {
        /** The chain up to a trusted authority, and that the certificate names the host we dialled. */
        FULL,
        /** The chain only. */
        CA,
        /** Nothing: anyone who answers is believed. */
        NONE;

        static Verify of(String configured) {
            return valueOf(configured.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** The JVM's trust store, full verification, no client certificate: what rediss:// means without options. */
    public static final RedisTls DEFAULT = new RedisTls(Optional.empty(), Optional.empty(), Optional.empty(), Verify.FULL);

    public RedisTls {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(verify, "verify");
    }

    /** True when anything differs from {@link #DEFAULT}, which only a rediss:// URI can use. */
    public boolean configured() {
        return !equals(DEFAULT);
    }
}
