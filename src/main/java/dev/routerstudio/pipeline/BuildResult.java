package dev.routerstudio.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished build hands back: artifacts with sizes and digests, the exact package versions,
 * where the image's bytes go, the service graph, the kernel check, and the spec hash.
 */
public record BuildResult(String specHash,
                          List<Artifact> artifacts,
                          List<PackageVersion> packages,
                          List<SizeEntry> sizeByPackage,
                          List<SizeEntry> largestFiles,
                          List<ServiceGraph.Node> serviceNodes,
                          List<ServiceGraph.Edge> serviceEdges,
                          List<String> bootOrder,
                          List<KernelStage.FeatureCheck> kernelFeatures,
                          String kernelVersion,
                          long elapsedMillis) {

    public record Artifact(String name, Path path, long size, String sha256) {
    }

    /**
     * inImage: the package contributed files to the root filesystem (the rest were only resolved).
     * slim: the studio's rebuild from Debian's source (image-pipeline/slim/) that stands in for it, or null.
     */
    public record PackageVersion(String name, String version, String arch, boolean inImage, SlimStage.SlimBuild slim) {
        public PackageVersion(String name, String version, String arch, boolean inImage) {
            this(name, version, arch, inImage, null);
        }
    }

    public record SizeEntry(String name, long bytes) {
    }

    public Artifact artifact(String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no artifact " + name));
    }
}
