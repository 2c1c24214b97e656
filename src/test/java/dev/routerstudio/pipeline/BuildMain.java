package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds one profile from the command line (bench and manual checks): BuildMain SPEC.json WORKDIR CACHEDIR. */
public final class BuildMain {

    public static void main(String[] args) throws Exception {
        ProfileSpec spec = JsonMapper.builder().build().readValue(Files.readString(Path.of(args[0])), ProfileSpec.class);
        BuildContext ctx = BuildContext.of(Path.of(args[1]), Path.of(args[2]), System.out::println,
                (stage, f) -> { });
        BuildResult r = new FirmwarePipeline().build(spec, ctx);
        System.out.println("specHash " + r.specHash());
        r.artifacts().forEach(a -> System.out.println(a.name() + " " + a.size() + " " + a.sha256()));
        r.sizeByPackage().forEach(s -> System.out.println("size " + s.name() + " " + s.bytes()));
        r.largestFiles().forEach(s -> System.out.println("file " + s.name() + " " + s.bytes()));
        r.kernelFeatures().forEach(k -> System.out.println("kernel " + k.feature() + " " + k.status()));
        System.out.println("elapsed " + r.elapsedMillis() + " ms");
    }
}
