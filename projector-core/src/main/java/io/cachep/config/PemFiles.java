package io.cachep.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone, so a bad file is named at startup with what is wrong
 * with it (and how to convert it), instead of surfacing as a TLS handshake failure later. Messages name the file and
 * never quote its content.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    /** A file that cannot be used, with the reason (and the fix, where there is one). */
    public static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }
    }

    private PemFiles() {}

    /** Every certificate in a PEM file (a bundle or a chain), leaf first as written. */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        String text = read(file);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new PemException(file + " holds no PEM certificate (no -----BEGIN CERTIFICATE----- line; a DER"
                    + " file converts with: openssl x509 -inform der -in " + file + " -out " + file + ".pem)");
        }
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new PemException(file + " holds a certificate that cannot be read: " + e.getMessage());
        }
    }

    /** The unencrypted PKCS#8 private key in a PEM file. */
    public static PrivateKey privateKey(Path file) throws PemException {
        String text = read(file);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return decodePkcs8(file, block.group(2));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new PemException(file + " holds a " + type
                        + " (PKCS#1/SEC1); convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out " + file + ".pk8");
                case "ENCRYPTED PRIVATE KEY" -> throw new PemException(file + " holds an encrypted key; decrypt it"
                        + " to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file + ".pk8"
                        + " (and keep that file readable only by the projector's user)");
                default -> { } // a certificate in the same file, say: look further
            }
        }
        throw new PemException(file + " holds no PEM private key (no -----BEGIN PRIVATE KEY----- line)");
    }

    /** True when {@code key} is the private half of {@code certificate}'s public key (proved by a signature). */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 name their own signature
        };
        try {
            byte[] probe = "cachep key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static PrivateKey decodePkcs8(Path file, String base64) throws PemException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new PemException(file + " holds a private key whose base64 text is broken");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new PemException(file + " holds a private key of an algorithm this JVM cannot read (tried "
                + String.join(", ", KEY_ALGORITHMS) + ")");
    }

    private static String read(Path file) throws PemException {
        if (!Files.exists(file)) {
            throw new PemException(file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new PemException(file + " is a directory, not a PEM file");
        }
        try {
            // ISO-8859-1 decodes any bytes, so a binary (DER) file fails below as "no PEM block", not as a charset error.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PemException(file + " cannot be read: " + (Files.isReadable(file) ? e.getMessage()
                    : "permission denied for this user"));
        }
    }
}
