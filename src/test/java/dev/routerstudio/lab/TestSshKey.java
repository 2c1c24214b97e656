package dev.routerstudio.lab;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A fresh ed25519 key pair for a lab test: the public half as an OpenSSH authorized_keys line
 * (for the profile), the private half in dropbear's own key format (for dbclient on the LAN
 * client), base64 so it can be typed into a console.
 */
record TestSshKey(String publicLine, String dropbearPrivateBase64) {

    static TestSshKey generate(String comment) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            // The JDK's encodings end with the raw 32-byte key (X.509 for public, PKCS#8 for private).
            byte[] x509 = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            byte[] blob = sshStrings("ssh-ed25519".getBytes(StandardCharsets.US_ASCII), pub);
            String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob) + " " + comment;
            // dropbear: string "ssh-ed25519", string (32-byte seed ‖ 32-byte public key)
            byte[] both = new byte[64];
            System.arraycopy(seed, 0, both, 0, 32);
            System.arraycopy(pub, 0, both, 32, 32);
            byte[] priv = sshStrings("ssh-ed25519".getBytes(StandardCharsets.US_ASCII), both);
            return new TestSshKey(line, Base64.getEncoder().encodeToString(priv));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    private static byte[] sshStrings(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
