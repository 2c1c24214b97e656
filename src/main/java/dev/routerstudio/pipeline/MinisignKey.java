package dev.routerstudio.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 key that signs files in minisign's format, so Debian's {@code minisign -V} checks them
 * without the studio. Signatures use minisign's "Ed" algorithm (the file itself is signed, not its
 * BLAKE2b hash): the JDK has Ed25519 but no BLAKE2b, and minisign 0.11 accepts it unless -H is given.
 * Ed25519 is deterministic, so the same key and file give the same signature bytes.
 */
public final class MinisignKey {

    public static final String SIGNATURE_SUFFIX = ".minisig";
    private static final byte[] ALGORITHM = {'E', 'd'};
    private static final int SEED = 32;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] rawPublicKey;
    private final byte[] keyNumber;

    private MinisignKey(KeyPair pair) {
        this.privateKey = pair.getPrivate();
        this.publicKey = pair.getPublic();
        byte[] x509 = publicKey.getEncoded();
        this.rawPublicKey = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        // minisign picks a random key number; ours is the public key's digest, so a seed is the whole key.
        this.keyNumber = Arrays.copyOf(sha256(rawPublicKey), 8);
    }

    /** A new random key; {@link #seed()} is what to store to get it back. */
    public static MinisignKey generate() {
        byte[] seed = new byte[SEED];
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /** The key whose 32-byte Ed25519 private seed this is (RFC 8032's private key). */
    public static MinisignKey fromSeed(byte[] seed) {
        if (seed.length != SEED) {
            throw new IllegalArgumentException("an Ed25519 signing key is 32 bytes, not " + seed.length);
        }
        try {
            // The JDK derives the public key only while generating a pair; it draws the seed from
            // the random source, so one that yields our seed gives our pair (checked below).
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] got = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            if (!Arrays.equals(got, seed)) {
                throw new IllegalStateException("this JDK's Ed25519 generator did not take the given seed");
            }
            MinisignKey key = new MinisignKey(pair);
            byte[] probe = "router-studio signing key probe".getBytes(StandardCharsets.US_ASCII);
            if (!key.verifies(probe, key.ed25519(probe))) {
                throw new IllegalStateException("the derived Ed25519 public key does not match the seed");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    public byte[] seed() {
        return ((EdECPrivateKey) privateKey).getBytes().orElseThrow().clone();
    }

    /** The public key as {@code minisign -P} takes it and minisign.pub's second line holds: base64("Ed" ‖ key number ‖ key). */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(42).put(ALGORITHM).put(keyNumber).put(rawPublicKey).array());
    }

    /** The key id as minisign prints it: the 8-byte key number read little-endian, in upper-case hex. */
    public String keyId() {
        byte[] reversed = new byte[keyNumber.length];
        for (int i = 0; i < keyNumber.length; i++) {
            reversed[i] = keyNumber[keyNumber.length - 1 - i];
        }
        return HexFormat.of().withUpperCase().formatHex(reversed);
    }

    /** A minisign.pub file's text. */
    public String publicKeyFile() {
        return "untrusted comment: minisign public key " + keyId() + "\n" + publicKey() + "\n";
    }

    /**
     * The .minisig text for a file: an untrusted comment, base64("Ed" ‖ key number ‖ signature of
     * the file), the trusted comment, and base64(signature of signature ‖ trusted comment).
     */
    public String sign(Path file, String trustedComment) {
        if (trustedComment.contains("\n") || trustedComment.contains("\r")) {
            throw new IllegalArgumentException("a trusted comment is one line");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    s.update(buf, 0, n);
                }
            }
            byte[] signature = s.sign();
            byte[] comment = trustedComment.getBytes(StandardCharsets.UTF_8);
            byte[] global = ed25519(ByteBuffer.allocate(signature.length + comment.length).put(signature).put(comment).array());
            Base64.Encoder b64 = Base64.getEncoder();
            return "untrusted comment: signature from Router Studio key " + keyId() + "\n"
                    + b64.encodeToString(ByteBuffer.allocate(74).put(ALGORITHM).put(keyNumber).put(signature).array()) + "\n"
                    + "trusted comment: " + trustedComment + "\n"
                    + b64.encodeToString(global) + "\n";
        } catch (IOException e) {
            throw new PipelineException("cannot read " + file + " to sign it: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Writes FILE.minisig next to the file and returns its path. */
    public Path signNextTo(Path file, String trustedComment) {
        Path out = file.resolveSibling(file.getFileName() + SIGNATURE_SUFFIX);
        try {
            Files.writeString(out, sign(file, trustedComment), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PipelineException("writing " + out + ": " + e.getMessage());
        }
        return out;
    }

    /** The key id a .minisig text names (as {@link #keyId()} prints it), or null if it is not one. */
    public static String keyIdOf(String minisig) {
        String[] lines = minisig.split("\n");
        if (lines.length < 2) {
            return null;
        }
        try {
            byte[] blob = Base64.getDecoder().decode(lines[1].trim());
            if (blob.length != 74) {
                return null;
            }
            byte[] reversed = new byte[8];
            for (int i = 0; i < 8; i++) {
                reversed[i] = blob[9 - i];
            }
            return HexFormat.of().withUpperCase().formatHex(reversed);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] ed25519(byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(message);
        return s.sign();
    }

    private boolean verifies(byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(publicKey);
        s.update(message);
        return s.verify(signature);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random source that hands out one seed: see {@link #fromSeed}. */
    private static final class FixedSeed extends SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + bytes.length + " random bytes, not a 32-byte seed");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
