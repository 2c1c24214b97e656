package dev.routerstudio.build;

import dev.routerstudio.pipeline.BuildResult;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * What a finished build tells a person, stored with the build as JSON: artifacts with sizes and
 * digests, exact package versions, where the bytes go, the service graph and the kernel check.
 */
public record BuildReport(String specHash,
                          List<Artifact> artifacts,
                          List<Package> packages,
                          List<Size> sizeByPackage,
                          List<Size> largestFiles,
                          List<Node> serviceNodes,
                          List<Edge> serviceEdges,
                          List<String> bootOrder,
                          List<KernelFeature> kernelFeatures,
                          String kernelVersion,
                          long elapsedMillis) {

    public record Artifact(String name, long size, String sha256) {
    }

    /** slim: the version of the studio's slim rebuild that stands in for the package, or null for Debian's binary. */
    public record Package(String name, String version, String arch, boolean inImage, String slim) {
        public Package(String name, String version, String arch, boolean inImage) {
            this(name, version, arch, inImage, null);
        }
    }

    public record Size(String name, long bytes) {
    }

    public record Node(String name, String type) {
    }

    public record Edge(String from, String to) {
    }

    public record KernelFeature(String feature, String status, List<String> requirements) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static BuildReport of(BuildResult r) {
        return new BuildReport(r.specHash(),
                r.artifacts().stream().map(a -> new Artifact(a.name(), a.size(), a.sha256())).toList(),
                r.packages().stream().map(p -> new Package(p.name(), p.version(), p.arch(), p.inImage(),
                        p.slim() == null ? null : p.slim().version())).toList(),
                r.sizeByPackage().stream().map(s -> new Size(s.name(), s.bytes())).toList(),
                r.largestFiles().stream().map(s -> new Size(s.name(), s.bytes())).toList(),
                r.serviceNodes().stream().map(n -> new Node(n.name(), n.type())).toList(),
                r.serviceEdges().stream().map(e -> new Edge(e.from(), e.to())).toList(),
                r.bootOrder(),
                r.kernelFeatures().stream().map(f -> new KernelFeature(f.feature(), f.status().name().toLowerCase(), f.requirements())).toList(),
                r.kernelVersion(), r.elapsedMillis());
    }

    String toJson() {
        return JSON.writeValueAsString(this);
    }

    static BuildReport fromJson(String json) {
        return json == null ? null : JSON.readValue(json, BuildReport.class);
    }

    public Artifact artifact(String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    public long rootfsSize() {
        Artifact a = artifact("rootfs.squashfs");
        return a == null ? 0 : a.size();
    }
}
