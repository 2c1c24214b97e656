package dev.routerstudio.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A 32-byte key the studio keeps: given in base64 by a setting (an environment variable), or read
 * from a file in the data dir that is created 0600 with random bytes at first start.
 */
final class KeyFile {

    private KeyFile() {
    }

    /** The configured key if there is one, else the file's, made first if missing. */
    static byte[] of(String configured, Path file, String setting) {
        return configured == null || configured.isBlank() ? readOrCreate(file, setting) : decode(configured, setting);
    }

    static byte[] decode(String base64, String setting) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            k = new byte[0];
        }
        if (k.length != 32) {
            throw new IllegalStateException(setting + " must be 32 bytes in base64 (e.g. head -c32 /dev/urandom | base64)");
        }
        return k;
    }

    static byte[] readOrCreate(Path file, String setting) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII), setting + " (" + file + ")");
            }
            Files.createDirectories(file.getParent());
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key " + file, e);
        }
    }
}
