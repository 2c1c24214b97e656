package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ssh service (dropbear on the LAN): the public keys that may log in as root. Root has no
 * password, so without a key nobody can log in over ssh; the console stays the way in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SshSettings(List<String> authorizedKeys) {

    public static final int MAX_KEYS = 16;
    /** Key types dropbear 2022.83 accepts. */
    static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final Pattern COMMENT = Pattern.compile("[\\x21-\\x7e]([\\x20-\\x7e]{0,198}[\\x21-\\x7e])?");

    /** Checks each key line: type, base64 blob whose embedded type matches, optional printable comment. */
    void validate(java.util.function.BiConsumer<String, String> reject) {
        if (authorizedKeys == null || authorizedKeys.isEmpty()) {
            reject.accept("settings.ssh.authorizedKeys", "needs at least one public key, like ssh-ed25519 AAAAC3Nza… you@laptop");
            return;
        }
        if (authorizedKeys.size() > MAX_KEYS) {
            reject.accept("settings.ssh.authorizedKeys", "may list at most " + MAX_KEYS + " keys (got " + authorizedKeys.size() + ")");
            return;
        }
        for (int i = 0; i < authorizedKeys.size(); i++) {
            String problem = keyProblem(authorizedKeys.get(i));
            if (problem != null) {
                reject.accept("settings.ssh.authorizedKeys[" + i + "]", problem);
            }
        }
    }

    /** Why a line is not an OpenSSH public key line dropbear can use, or null. Options before the type are not accepted. */
    static String keyProblem(String line) {
        if (line == null || line.isBlank()) {
            return "is empty: paste one public key per line (the contents of ~/.ssh/id_ed25519.pub)";
        }
        String[] parts = line.trim().split(" ", 3);
        if (!KEY_TYPES.contains(parts[0])) {
            return "must start with a key type dropbear accepts (" + String.join(", ", KEY_TYPES.stream().sorted().toList())
                    + "); paste a public key, not a private key or key options";
        }
        if (parts.length < 2) {
            return "has no key data after '" + parts[0] + "'";
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return "has key data that is not base64";
        }
        // The blob starts with the key type as an SSH string (4-byte length + bytes).
        byte[] type = parts[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (blob.length < 4 + type.length + 4 || java.nio.ByteBuffer.wrap(blob).getInt() != type.length
                || !java.util.Arrays.equals(blob, 4, 4 + type.length, type, 0, type.length)) {
            return "has key data that does not match its type '" + parts[0] + "' (was the line cut or edited?)";
        }
        if (parts.length == 3 && !COMMENT.matcher(parts[2]).matches()) {
            return "has a comment that is not 1–200 printable ASCII characters";
        }
        return null;
    }

    SshSettings normalized() {
        return new SshSettings(authorizedKeys == null ? null : authorizedKeys.stream().map(String::trim).toList());
    }
}
