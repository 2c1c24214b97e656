package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** minisign's public key and signature layout, checked byte by byte with the JDK's own Ed25519 verifier. */
class MinisignKeyTest {

    static final Path DIR = Path.of("target/minisign-key-test").toAbsolutePath();

    // RFC 8032, section 7.1, test 1: a seed and its public key.
    static final byte[] RFC_SEED = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final byte[] RFC_PUBLIC = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    @Test
    void publicKeyIsEdKeyNumberAndTheRfcPublicKey() {
        MinisignKey key = MinisignKey.fromSeed(RFC_SEED);
        byte[] pk = Base64.getDecoder().decode(key.publicKey());
        assertThat(pk).hasSize(42);
        assertThat(new String(pk, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("Ed");
        assertThat(Arrays.copyOfRange(pk, 10, 42)).isEqualTo(RFC_PUBLIC);
        // minisign prints the key number little-endian: bytes 2..9 reversed.
        byte[] number = Arrays.copyOfRange(pk, 2, 10);
        StringBuilder reversed = new StringBuilder();
        for (int i = 7; i >= 0; i--) {
            reversed.append(String.format("%02X", number[i]));
        }
        assertThat(key.keyId()).isEqualTo(reversed.toString()).matches("[0-9A-F]{16}");
        assertThat(key.publicKeyFile()).isEqualTo("untrusted comment: minisign public key " + key.keyId() + "\n" + key.publicKey() + "\n");
        assertThat(key.seed()).isEqualTo(RFC_SEED);
    }

    @Test
    void signatureFileHasFourLinesThatVerify() throws Exception {
        MinisignKey key = MinisignKey.fromSeed(RFC_SEED);
        Path file = write("data.bin", "firmware bytes\n");
        String sig = key.sign(file, "file:data.bin");
        String[] lines = sig.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[4]).isEmpty();
        assertThat(lines[0]).isEqualTo("untrusted comment: signature from Router Studio key " + key.keyId());
        assertThat(lines[2]).isEqualTo("trusted comment: file:data.bin");

        byte[] blob = Base64.getDecoder().decode(lines[1]);
        assertThat(blob).hasSize(74);
        assertThat(new String(blob, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("Ed");
        assertThat(Arrays.copyOfRange(blob, 2, 10)).isEqualTo(Arrays.copyOfRange(Base64.getDecoder().decode(key.publicKey()), 2, 10));
        byte[] signature = Arrays.copyOfRange(blob, 10, 74);
        PublicKey pk = rfcPublicKey();
        assertThat(verify(pk, Files.readAllBytes(file), signature)).isTrue();
        byte[] comment = "file:data.bin".getBytes(StandardCharsets.UTF_8);
        byte[] global = Base64.getDecoder().decode(lines[3]);
        assertThat(verify(pk, ByteBuffer.allocate(64 + comment.length).put(signature).put(comment).array(), global)).isTrue();
        assertThat(verify(pk, "other bytes\n".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    }

    @Test
    void sameKeyAndFileGiveTheSameSignature() throws Exception {
        Path file = write("same.bin", "same\n");
        assertThat(MinisignKey.fromSeed(RFC_SEED).sign(file, "c")).isEqualTo(MinisignKey.fromSeed(RFC_SEED).sign(file, "c"));
        MinisignKey other = MinisignKey.generate();
        assertThat(other.keyId()).isNotEqualTo(MinisignKey.fromSeed(RFC_SEED).keyId());
        assertThat(MinisignKey.fromSeed(other.seed()).publicKey()).isEqualTo(other.publicKey());
    }

    @Test
    void signNextToWritesTheMinisigFile() throws Exception {
        Path file = write("next.bin", "x");
        Path sig = MinisignKey.fromSeed(RFC_SEED).signNextTo(file, "c");
        assertThat(sig.getFileName().toString()).isEqualTo("next.bin.minisig");
        assertThat(Files.readString(sig)).isEqualTo(MinisignKey.fromSeed(RFC_SEED).sign(file, "c"));
    }

    @Test
    void refusesBadSeedsAndMultiLineComments() throws Exception {
        assertThatThrownBy(() -> MinisignKey.fromSeed(new byte[31])).hasMessageContaining("32 bytes");
        Path file = write("c.bin", "x");
        assertThatThrownBy(() -> MinisignKey.fromSeed(RFC_SEED).sign(file, "a\nb")).hasMessageContaining("one line");
    }

    static Path write(String name, String content) throws Exception {
        Files.createDirectories(DIR);
        return Files.writeString(DIR.resolve(name), content);
    }

    static PublicKey rfcPublicKey() throws Exception {
        byte[] x509 = ByteBuffer.allocate(44).put(HexFormat.of().parseHex("302a300506032b6570032100")).put(RFC_PUBLIC).array();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    static boolean verify(PublicKey pk, byte[] message, byte[] signature) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(pk);
        s.update(message);
        return s.verify(signature);
    }
}
