package io.cachep.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and the certificates it signs, as PEM files, for TLS tests and a TLS devstack:
 * what a platform team's private CA hands out. Made with the {@code openssl} command (Debian's, which CI installs),
 * because the JDK has no public API to sign a certificate.
 *
 * <p>Keys are unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), which redis-server, Kafka and Netty all read. Every
 * leaf certificate is valid for server and client authentication, for {@code localhost} and {@code 127.0.0.1}.
 */
public final class TestCertificates {
    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    /** A certificate and its private key, as PEM files. */
    public record Issued(Path certificate, Path privateKey) {
        /** One PEM file holding the key, then the certificate: the shape Kafka's {@code ssl.keystore.type=PEM} reads. */
        public Path keyAndCertificate() {
            Path combined = certificate.resolveSibling(certificate.getFileName() + ".key-and-cert.pem");
            try {
                if (!Files.exists(combined)) {
                    Files.writeString(combined, Files.readString(privateKey) + Files.readString(certificate));
                }
            } catch (IOException e) {
                throw new DevStackException("could not write " + combined + ": " + e.getMessage(), e);
            }
            return combined;
        }
    }

    private final Path directory;
    private final Issued authority;

    private TestCertificates(Path directory, Issued authority) {
        this.directory = directory;
        this.authority = authority;
    }

    /** Creates a new CA (named {@code commonName}) in {@code directory}. */
    public static TestCertificates newAuthority(Path directory, String commonName) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DevStackException("could not create " + directory + ": " + e.getMessage(), e);
        }
        Path key = directory.resolve("ca.key");
        Path certificate = directory.resolve("ca.crt");
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3",
                "-subj", "/CN=" + commonName, "-keyout", key.toString(), "-out", certificate.toString(),
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new TestCertificates(directory, new Issued(certificate, key));
    }

    /** The CA's own certificate: the bundle a client or server trusts. */
    public Path authorityCertificate() {
        return authority.certificate();
    }

    /** A certificate for {@code name}, signed by this CA, for localhost and 127.0.0.1 plus {@code extraHostNames}. */
    public Issued issue(String name, String... extraHostNames) {
        Path key = directory.resolve(name + ".key");
        Path request = directory.resolve(name + ".csr");
        Path certificate = directory.resolve(name + ".crt");
        Path extensions = directory.resolve(name + ".ext");
        StringBuilder names = new StringBuilder("DNS:localhost,IP:127.0.0.1");
        for (String host : extraHostNames) {
            names.append(",DNS:").append(host);
        }
        try {
            Files.writeString(extensions, "subjectAltName=" + names + "\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        } catch (IOException e) {
            throw new DevStackException("could not write " + extensions + ": " + e.getMessage(), e);
        }
        openssl(directory, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name,
                "-keyout", key.toString(), "-out", request.toString());
        openssl(directory, "x509", "-req", "-in", request.toString(), "-days", "3",
                "-CA", authority.certificate().toString(), "-CAkey", authority.privateKey().toString(),
                "-CAcreateserial", "-extfile", extensions.toString(), "-out", certificate.toString());
        return new Issued(certificate, key);
    }

    private static void openssl(Path workDir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path log = workDir.resolve("openssl.log");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DevStackException("openssl " + arguments[0] + " did not finish in "
                        + OPENSSL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new DevStackException("openssl " + String.join(" ", arguments) + " failed (exit "
                        + process.exitValue() + "): " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new DevStackException("could not run openssl (apt-get install -y openssl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while running openssl", e);
        }
    }
}
