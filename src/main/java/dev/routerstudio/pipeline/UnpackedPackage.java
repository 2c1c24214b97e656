package dev.routerstudio.pipeline;

import java.nio.file.Path;
import java.util.List;

/** A package's data tree in the cache, with the entry list (paths and modes) the .deb gave. */
public record UnpackedPackage(ResolvedPackage pkg, Path root, List<DebPackage.DebEntry> entries) {

    public Path file(String imagePath) {
        return root.resolve(imagePath.substring(1));
    }
}
