package dev.routerstudio.pipeline;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * sbom.cdx.json: a CycloneDX 1.5 SBOM of exactly what is in the image — each Debian package that
 * put files into the root (name, version, source package, licence from a machine-readable
 * copyright file, purl), the kernel package, and the pipeline's own sources by digest. No
 * timestamp, and a serial number derived from the spec hash, so a rebuild gives the same bytes.
 */
public final class CycloneDxSbom {

    public static final String FILE = "sbom.cdx.json";
    public static final String SPEC_VERSION = "1.5";
    static final String PIPELINE_SOURCES = "router-studio-pipeline-sources";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the SBOM says about one Debian package. */
    public record PackageFacts(String name, String version, String source, String sourceVersion, List<String> licences,
                               boolean kernel, SlimStage.SlimBuild slim) {

        public PackageFacts(String name, String version, String source, String sourceVersion, List<String> licences, boolean kernel) {
            this(name, version, source, sourceVersion, licences, kernel, null);
        }

        /** The package URL; the version is percent-encoded as the purl spec asks (an epoch's ':' is %3A, '+' is %2B). */
        public String purl() {
            return "pkg:deb/debian/" + name + "@" + purlEncode(version) + "?arch=mipsel";
        }

        /** A slim rebuild is not Debian's binary: a generic purl with its own version (Debian's + recipe digest). */
        public String slimPurl() {
            return "pkg:generic/router-studio-slim/" + name + "@" + purlEncode(slim.version()) + "?arch=mipsel";
        }

        String ref() {
            return slim == null ? purl() : slimPurl();
        }
    }

    private CycloneDxSbom() {
    }

    /**
     * The packages with inImage set (the kernel package is one: its modules and vmlinuz are the
     * image's), each read from its .deb's control file and its unpacked copyright file.
     */
    public static List<PackageFacts> facts(List<BuildResult.PackageVersion> versions, Map<String, UnpackedPackage> unpacked,
                                           String kernelPackage) {
        List<PackageFacts> out = new ArrayList<>();
        for (BuildResult.PackageVersion v : versions) {
            if (!v.inImage()) {
                continue;
            }
            UnpackedPackage u = unpacked.get(v.name());
            if (u == null) {
                throw new PipelineException("the SBOM lists " + v.name() + " but it was not unpacked");
            }
            String source = v.name();
            String sourceVersion = v.version();
            try {
                // "Source: name" or "Source: name (version)" when the binary's version differs; absent when equal to the name.
                String field = DebPackage.control(u.pkg().deb()).get("Source");
                if (field != null && !field.isBlank()) {
                    String[] parts = field.trim().split("\\s+", 2);
                    source = parts[0];
                    if (parts.length == 2 && parts[1].startsWith("(") && parts[1].endsWith(")")) {
                        sourceVersion = parts[1].substring(1, parts[1].length() - 1);
                    }
                }
            } catch (IOException e) {
                throw new PipelineException("reading the control file of " + u.pkg().deb().getFileName() + " for the SBOM: " + e.getMessage());
            }
            out.add(new PackageFacts(v.name(), v.version(), source, sourceVersion, licences(u), v.name().equals(kernelPackage), v.slim()));
        }
        out.sort(Comparator.comparing(PackageFacts::name).thenComparing(f -> f.slim() == null ? 0 : 1));
        return out;
    }

    /** The licences a machine-readable (DEP-5) /usr/share/doc/NAME/copyright names; empty for free-form ones. */
    static List<String> licences(UnpackedPackage u) {
        Path doc = u.root().resolve("usr/share/doc").resolve(u.pkg().name());
        Path copyright = doc.resolve("copyright");
        // A doc dir that is a symlink points into another package (or, absolute, into the host): not ours to read.
        if (Files.isSymbolicLink(doc) || !Files.isRegularFile(copyright, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            return dep5Licences(Files.readString(copyright, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The short licence names of a DEP-5 copyright file: the header's License and each Files
     * paragraph's, in order, without repeats. Stand-alone License paragraphs hold texts, not uses.
     */
    static List<String> dep5Licences(String text) {
        String[] paragraphs = text.replace("\r", "").split("\n[ \t]*\n");
        if (paragraphs.length == 0 || !isDep5Header(paragraphs[0])) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < paragraphs.length; i++) {
            Map<String, String> fields = DebPackage.parseControl(paragraphs[i].strip());
            String licence = fields.get("License");
            if (licence == null || (i > 0 && !fields.containsKey("Files"))) {
                continue;
            }
            // The first line is the short name; a License field whose first line is empty holds only text.
            String shortName = licence.split("\n", 2)[0].strip();
            if (!shortName.isEmpty()) {
                names.add(shortName);
            }
        }
        return List.copyOf(names);
    }

    static String purlEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static boolean isDep5Header(String paragraph) {
        String format = DebPackage.parseControl(paragraph.strip()).get("Format");
        return format != null && (format.contains("copyright-format/1.0") || format.contains("dep5"));
    }

    public static Path write(String profileName, String specHash, List<PackageFacts> packages, String sourcesDigest, Path output) {
        ObjectNode bom = JSON.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", SPEC_VERSION);
        bom.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(("router-studio sbom " + specHash).getBytes(StandardCharsets.UTF_8)));
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.putObject("tools").putArray("components").addObject()
                .put("type", "application").put("name", "Router Studio").put("version", SpecHash.PIPELINE_FORMAT);
        metadata.putObject("component")
                .put("type", "firmware").put("bom-ref", "firmware").put("name", profileName).put("version", specHash)
                .put("description", "Router Studio firmware for profile " + profileName + " (version = spec hash). Lists exactly "
                        + "the Debian packages that put files into the image, the kernel package among them; packages "
                        + "apt resolved that contributed no file are left out.");

        ArrayNode components = bom.putArray("components");
        ArrayNode dependsOn = JSON.createArrayNode();
        for (PackageFacts p : packages) {
            ObjectNode c = components.addObject();
            c.put("type", p.kernel() ? "operating-system" : "library");
            c.put("bom-ref", p.ref());
            c.put("publisher", p.slim() == null ? "Debian" : "Router Studio");
            c.put("name", p.name());
            c.put("version", p.slim() == null ? p.version() : p.slim().version());
            if (p.kernel()) {
                c.put("description", "the Linux kernel the image boots: vmlinuz and the modules in the root");
            }
            if (p.slim() != null) {
                c.put("description", "slim rebuild of Debian's " + p.name() + " " + p.version() + " from its source package "
                        + p.source() + " " + p.sourceVersion() + " by the studio's recipe image-pipeline/slim/" + p.slim().recipe()
                        + "/ (options: " + p.slim().options() + "); turned off: " + p.slim().off());
            }
            if (!p.licences().isEmpty()) {
                ArrayNode ls = c.putArray("licenses");
                for (String l : p.licences()) {
                    ls.addObject().putObject("license").put("name", l);
                }
            }
            c.put("purl", p.ref());
            if (p.slim() != null) {
                ObjectNode pedigree = c.putObject("pedigree");
                pedigree.putArray("ancestors").addObject().put("type", "library").put("publisher", "Debian")
                        .put("name", p.name()).put("version", p.version()).put("purl", p.purl());
                pedigree.put("notes", "rebuilt from Debian's source package with fewer features; see the description");
            }
            ArrayNode props = c.putArray("properties");
            props.addObject().put("name", "debian:source").put("value", p.source());
            props.addObject().put("name", "debian:source-version").put("value", p.sourceVersion());
            if (p.slim() != null) {
                props.addObject().put("name", "router-studio:slim-recipe").put("value", p.slim().recipe());
                props.addObject().put("name", "router-studio:slim-options").put("value", p.slim().options());
                props.addObject().put("name", "router-studio:slim-recipe-digest").put("value", p.slim().digest());
            }
            dependsOn.add(p.ref());
        }
        components.addObject()
                .put("type", "file").put("bom-ref", PIPELINE_SOURCES).put("name", PIPELINE_SOURCES).put("version", SpecHash.PIPELINE_FORMAT)
                .put("description", "the studio's image-pipeline/ templates and run-qemu.sh this image was generated from; "
                        + "SHA-256 over their paths and contents")
                .putArray("hashes").addObject().put("alg", "SHA-256").put("content", sourcesDigest);
        dependsOn.add(PIPELINE_SOURCES);
        ObjectNode root = bom.putArray("dependencies").addObject();
        root.put("ref", "firmware");
        root.set("dependsOn", dependsOn);
        try {
            Files.writeString(output, JSON.writerWithDefaultPrettyPrinter().writeValueAsString((JsonNode) bom) + "\n");
        } catch (IOException e) {
            throw new PipelineException("writing " + FILE + ": " + e.getMessage());
        }
        return output;
    }
}
