package dev.routerstudio.lab;

import dev.routerstudio.pipeline.TargetSpec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The router's writable store in a lab: a sparse raw image in the lab's own folder, as large as
 * the target says. The studio only makes the empty file; the router's initramfs formats it on
 * first boot (and again after a factory reset) and lays an overlay over the squashfs root on it.
 * It lives as long as the lab: stopping the lab removes it with the lab folder.
 */
public final class RouterStore {

    public static final String FILE = "router-store.img";

    private RouterStore() {
    }

    /** The store image in labDir, made (sparse: no blocks written) if it is not there yet. */
    public static Path create(Path labDir, TargetSpec.Store store) throws IOException {
        if (store.sizeMb() < 8 || store.sizeMb() > 4096) {
            throw new IOException("the target's store.size must be 8–4096 MiB, not " + store.sizeMb());
        }
        Path image = labDir.resolve(FILE);
        if (!Files.exists(image)) {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(store.sizeMb() * 1024L * 1024L);
            }
        }
        return image;
    }
}
