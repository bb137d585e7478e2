package io.cachep.rulesfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a rules file: what was projected with it (a kept model of the log, a rebuild's shadow, a shared verify's
 * shares) is only worth resuming, or combining, under the same rules.
 */
public final class RulesFileDigest {
    private RulesFileDigest() {}

    public static String of(Path rulesFile) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(rulesFile)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
