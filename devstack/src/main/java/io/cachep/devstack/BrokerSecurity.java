package io.cachep.devstack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link KafkaBroker} needs to serve clients the way a hardened cluster does: a {@code SASL_SSL} listener
 * (SCRAM-SHA-512 over TLS, the broker's certificate signed by a test CA) instead of PLAINTEXT, and the standard
 * authorizer, so every client request needs an ACL. The broker talks to itself (transaction markers) over that
 * listener as the super user {@link #ADMIN_USER}, whose SCRAM credential is written when the log dir is formatted.
 *
 * <p>The KRaft controller listener stays PLAINTEXT on loopback; its principal, {@code User:ANONYMOUS}, is a super user
 * so that the node's broker can register with its own controller. Clients never get that principal: every
 * connection to the SASL_SSL listener is an authenticated SCRAM user.
 *
 * @param truststore    the CA certificate (PEM) that broker and clients trust
 * @param keystore      the broker's private key and certificate, one PEM file
 * @param adminPassword the super user's password: random, per broker
 */
public record BrokerSecurity(Path truststore, Path keystore, String adminPassword) {
    public static final String ADMIN_USER = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The listener name and its security protocol. */
    static final String LISTENER = "SASL_SSL";
    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    public BrokerSecurity {
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(adminPassword, "adminPassword");
    }

    /** A certificate for the broker issued by {@code authority}, and a random super-user password. */
    public static BrokerSecurity saslSsl(TestCertificates authority) {
        Objects.requireNonNull(authority, "authority");
        return new BrokerSecurity(authority.authorityCertificate(), authority.issue("kafka-broker").keyAndCertificate(),
                randomPassword());
    }

    /** 128 random bits as hex: a password for a test user that nothing else knows. */
    public static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The settings a client needs to log in as {@code user} over SASL_SSL and trust the broker's certificate, without
     * {@code bootstrap.servers}: security protocol, mechanism, JAAS config and the PEM truststore.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", LISTENER);
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaasConfig(user, password));
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
        return p;
    }

    /** The {@code sasl.jaas.config} value that logs {@code user} in with SCRAM. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The broker's settings besides its listeners (which {@link BrokerConfig} owns). */
    Map<String, String> serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        // The client side of the broker's own connections to the listener (transaction markers, to itself).
        p.put("listener.name." + LISTENER.toLowerCase() + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                jaasConfig(ADMIN_USER, adminPassword));
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.location", keystore.toAbsolutePath().toString());
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
        p.put("authorizer.class.name", AUTHORIZER);
        p.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
        return p;
    }

    /**
     * The {@code kafka-storage format --add-scram} argument that writes the super user's credential into the
     * metadata log, so the broker can authenticate to itself from its first start. It is on the command line of the
     * format run for a second; the password is random and dies with the broker.
     */
    String formatScramArgument() {
        return MECHANISM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]";
    }

    @Override
    public String toString() {
        return "BrokerSecurity[" + LISTENER + " " + MECHANISM + ", truststore " + truststore + "]";
    }
}
