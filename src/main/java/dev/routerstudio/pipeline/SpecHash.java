package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The build's cache key: full sha256 (never truncated) over the canonical spec JSON (secrets
 * included, since they change the image), the pipeline format and every resolved package version.
 */
public final class SpecHash {

    /** Bump when the pipeline or image-pipeline/ changes what a spec builds into. */
    public static final String PIPELINE_FORMAT = "routerstudio-pipeline/2";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpecHash() {
    }

    public static String canonicalJson(ProfileSpec spec) {
        return JSON.writeValueAsString(spec);
    }

    public static String of(ProfileSpec spec, List<ResolvedPackage> packages) {
        return of(spec, packages, null);
    }

    /**
     * With a secret key, the password enters the hash only as HMAC-SHA256(key, password): the hash
     * is shown in pages, the API and manifest.json, and must not let anyone test password guesses.
     */
    public static String of(ProfileSpec spec, List<ResolvedPackage> packages, byte[] secretKey) {
        return of(spec, packages, secretKey, null);
    }

    /**
     * signingKeyId: the bundle names the key that signs it, so a build signed by another key is not
     * identical; an earlier build is then not served under a key it was not signed with.
     */
    public static String of(ProfileSpec spec, List<ResolvedPackage> packages, byte[] secretKey, String signingKeyId) {
        ProfileSpec hashed = spec;
        if (secretKey != null && spec.wanPassword() != null) {
            hashed = spec.withWan(spec.wan().withPassword("hmac-sha256:" + hmac(secretKey, spec.wanPassword())));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(PIPELINE_FORMAT).append(' ').append(sourcesDigest()).append('\n').append(canonicalJson(hashed)).append('\n');
        if (signingKeyId != null) {
            sb.append("signed-by ").append(signingKeyId).append('\n');
        }
        packages.stream().map(p -> p.name() + " " + p.version() + " " + p.arch()).sorted()
                .forEach(l -> sb.append(l).append('\n'));
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String sourcesDigest;

    /**
     * sha256 over every target-side source the pipeline reads (image-pipeline/ and run-qemu.sh),
     * so a change to a template gives new hashes and a cached build of the old templates is not
     * served for them.
     */
    static synchronized String sourcesDigest() {
        if (sourcesDigest == null) {
            try {
                org.springframework.core.io.support.PathMatchingResourcePatternResolver resolver =
                        new org.springframework.core.io.support.PathMatchingResourcePatternResolver();
                java.util.TreeMap<String, byte[]> files = new java.util.TreeMap<>();
                for (String pattern : List.of("classpath*:image-pipeline/**", "classpath*:qemu-runner/run-qemu.sh")) {
                    for (org.springframework.core.io.Resource r : resolver.getResources(pattern)) {
                        if (r.isReadable() && r.contentLength() >= 0 && !r.getURL().toString().endsWith("/")) {
                            String url = r.getURL().toString();
                            String key = url.substring(url.lastIndexOf(pattern.contains("qemu-runner") ? "qemu-runner/" : "image-pipeline/"));
                            files.put(key, r.getContentAsByteArray());
                        }
                    }
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (var e : files.entrySet()) {
                    md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(e.getValue());
                }
                sourcesDigest = HexFormat.of().formatHex(md.digest());
            } catch (java.io.IOException | NoSuchAlgorithmException e) {
                throw new PipelineException("cannot read the pipeline's own sources: " + e.getMessage());
            }
        }
        return sourcesDigest;
    }

    private static String hmac(byte[] key, String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(java.nio.file.Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new PipelineException("cannot hash " + file + ": " + e.getMessage());
        }
    }
}
