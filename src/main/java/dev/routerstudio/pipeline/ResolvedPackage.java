package dev.routerstudio.pipeline;

import java.nio.file.Path;

/** A Debian package pinned to the version apt chose, and its .deb in the package cache. */
public record ResolvedPackage(String name, String version, String arch, Path deb) {

    /** The file name apt gives the .deb: name_version_arch.deb, with the epoch colon escaped. */
    public String debFileName() {
        return name + "_" + version.replace(":", "%3a") + "_" + arch + ".deb";
    }
}
