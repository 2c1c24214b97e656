package dev.routerstudio.lab;

import dev.routerstudio.profile.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.ErrorResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The uploaded peer VMs, one folder each under DATA/peer-vms/NAME: peer.json (the descriptor and
 * what the upload was found to be), disk, and kernel and initrd for a kernel boot. An upload is
 * written to a hidden folder beside them, checked there (a disk image, a kernel of the stated
 * CPU) and renamed into place only when all of it is good: a refused or broken upload leaves
 * nothing. The files are the user's, never written by a lab (QEMU opens the disk with snapshot=on).
 */
public final class PeerVmStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String INCOMING = ".incoming-";

    /** One uploaded file: written once to where the store wants it (a multipart part moves, a test copies). */
    public interface Upload {
        void writeTo(Path file) throws IOException;
    }

    /** The stored record (peer.json). */
    record Stored(PeerVm.Descriptor descriptor, String diskFormat, Instant uploadedAt) {
    }

    private final Path dir;

    public PeerVmStore(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    /** Every stored peer, by name; a folder that cannot be read is skipped. */
    public List<PeerVm> list() {
        List<PeerVm> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path p : ds) {
                find(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the peer VMs in " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(PeerVm::name));
        return out;
    }

    public Optional<PeerVm> find(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            return Optional.empty();
        }
        Path d = dir.resolve(name);
        Path json = d.resolve("peer.json");
        if (!Files.isRegularFile(json)) {
            return Optional.empty();
        }
        try {
            Stored s = JSON.readValue(json.toFile(), Stored.class);
            Path kernel = Files.exists(d.resolve("kernel")) ? d.resolve("kernel") : null;
            Path initrd = Files.exists(d.resolve("initrd")) ? d.resolve("initrd") : null;
            return Optional.of(new PeerVm(s.descriptor(), d.resolve("disk"), s.diskFormat(), Files.size(d.resolve("disk")), kernel, initrd,
                    s.uploadedAt()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The stored peer, or a 404 naming the peers there are. */
    public PeerVm get(String name) {
        return find(name).orElseThrow(() -> new PeerVmException(HttpStatus.NOT_FOUND, "Peer VM not found",
                List.of(new Violation("peer", "there is no peer VM '" + name + "'; peer VMs: "
                        + (list().isEmpty() ? "none (upload one: POST /api/v1/peers)" : String.join(", ", list().stream().map(PeerVm::name).toList()))))));
    }

    /**
     * Stores a peer from its descriptor and files (disk needed; kernel for a kernel boot; initrd
     * only with a kernel). 400 with every field error, 409 if the name is taken; nothing stays
     * behind on either.
     */
    public PeerVm add(PeerVm.Descriptor d, Upload disk, Upload kernel, Upload initrd) {
        List<Violation> bad = new ArrayList<>(d.violations(kernel != null));
        if (disk == null) {
            bad.add(new Violation("disk", "upload the peer's disk image (qcow2 or raw)"));
        }
        if (initrd != null && kernel == null) {
            bad.add(new Violation("initrd", "an initrd boots only with a kernel; upload the kernel too, or leave the initrd out"));
        }
        if (!bad.isEmpty()) {
            throw new PeerVmException(HttpStatus.BAD_REQUEST, "Invalid peer VM", bad);
        }
        if (find(d.name()).isPresent()) {
            throw conflict(d.name());
        }
        Path staging = dir.resolve(INCOMING + UUID.randomUUID());
        boolean done = false;
        try {
            Files.createDirectories(staging);
            disk.writeTo(staging.resolve("disk"));
            if (kernel != null) {
                kernel.writeTo(staging.resolve("kernel"));
            }
            if (initrd != null) {
                initrd.writeTo(staging.resolve("initrd"));
            }
            String format = diskFormat(staging.resolve("disk"));
            List<Violation> files = fileProblems(staging.resolve("disk"), kernel == null ? null : staging.resolve("kernel"),
                    initrd == null ? null : staging.resolve("initrd"), d.arch());
            if (!files.isEmpty()) {
                throw new PeerVmException(HttpStatus.BAD_REQUEST, "Invalid peer VM", files);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve("peer.json").toFile(), new Stored(d, format, Instant.now()));
            synchronized (this) {
                if (Files.exists(dir.resolve(d.name()))) {
                    throw conflict(d.name());
                }
                Files.move(staging, dir.resolve(d.name()), StandardCopyOption.ATOMIC_MOVE);
                done = true;
            }
            return get(d.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store peer VM '" + d.name() + "' under " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                FileSystemUtils.deleteRecursively(staging.toFile());
            }
        }
    }

    /**
     * What is wrong with a peer's files for that CPU (none: they boot): the disk no disk image or
     * a qcow2 that names a file of the host, the kernel not one QEMU loads or for another CPU, an
     * empty initrd. The upload refuses on these; a lab checks them again when it starts.
     */
    public static List<Violation> fileProblems(Path disk, Path kernel, Path initrd, String arch) throws IOException {
        List<Violation> files = new ArrayList<>();
        if (diskFormat(disk) == null) {
            files.add(new Violation("disk", "is not a disk image: neither qcow2 nor a raw disk with a partition table (MBR, GPT) or a "
                    + "filesystem (ext2/3/4, squashfs, ISO 9660, FAT); convert it with qemu-img convert -O qcow2"));
        } else if (qcow2Reference(disk) != null) {
            files.add(new Violation("disk", qcow2Reference(disk)));
        }
        if (kernel != null) {
            String found = kernelArch(kernel);
            if (found == null) {
                files.add(new Violation("kernel", "is not a Linux kernel QEMU can boot: neither an x86 bzImage nor an ELF kernel"));
            } else if (!found.equals(arch)) {
                files.add(new Violation("kernel", "is a kernel for " + found + ", but arch is " + arch
                        + ": upload a " + arch + " kernel, or set arch to " + found));
            }
        }
        if (kernel != null && initrd != null && Files.size(initrd) == 0) {
            files.add(new Violation("initrd", "is empty"));
        }
        return files;
    }

    /** Removes a stored peer; false if there was none. A lab booted from it keeps its open files. */
    public synchronized boolean delete(String name) {
        if (find(name).isEmpty()) {
            return false;
        }
        Path gone = dir.resolve(INCOMING + "deleted-" + UUID.randomUUID());
        try {
            Files.move(dir.resolve(name), gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete peer VM '" + name + "': " + e.getMessage(), e);
        }
        FileSystemUtils.deleteRecursively(gone.toFile());
        return true;
    }

    /** Removes what uploads left half-written (a studio that stopped mid-upload). */
    public void removeIncomplete() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, INCOMING + "*")) {
            for (Path p : ds) {
                FileSystemUtils.deleteRecursively(p.toFile());
            }
        } catch (IOException e) {
            // the next start tries again
        }
    }

    private static PeerVmException conflict(String name) {
        return new PeerVmException(HttpStatus.CONFLICT, "Peer VM exists",
                List.of(new Violation("name", "a peer VM '" + name + "' exists; delete it first or pick another name")));
    }

    /** "qcow2", "raw" (a partition table or a filesystem at its start), or null: not a disk image. */
    public static String diskFormat(Path file) throws IOException {
        byte[] h = head(file, 32775);
        if (h.length >= 4 && h[0] == 'Q' && h[1] == 'F' && h[2] == 'I' && (h[3] & 0xff) == 0xfb) {
            return "qcow2";
        }
        boolean mbr = h.length >= 512 && (h[510] & 0xff) == 0x55 && (h[511] & 0xff) == 0xaa;
        boolean gpt = at(h, 512, "EFI PART");
        boolean squashfs = at(h, 0, "hsqs");
        boolean ext = h.length >= 1082 && (h[1080] & 0xff) == 0x53 && (h[1081] & 0xff) == 0xef;
        boolean iso = at(h, 32769, "CD001");
        return mbr || gpt || squashfs || ext || iso ? "raw" : null;
    }

    /**
     * Why a qcow2 image cannot be booted as uploaded, or null: one that names a backing file or
     * an external data file would have QEMU open a file of the studio's host (whatever path it
     * names) and show it to the VM, and through its console to the uploader.
     */
    public static String qcow2Reference(Path file) throws IOException {
        byte[] h = head(file, 80);
        if (!"qcow2".equals(diskFormat(file)) || h.length < 24) {
            return null;
        }
        long backingOffset = java.nio.ByteBuffer.wrap(h, 8, 8).getLong();
        if (backingOffset != 0) {
            return "is a qcow2 image with a backing file: only self-contained images boot here (the backing file would be a path on the "
                    + "studio's machine); flatten it with qemu-img convert -O qcow2";
        }
        int version = java.nio.ByteBuffer.wrap(h, 4, 4).getInt();
        if (version >= 3 && h.length >= 80 && (java.nio.ByteBuffer.wrap(h, 72, 8).getLong() & 0b100) != 0) {
            return "is a qcow2 image with an external data file: only self-contained images boot here; flatten it with "
                    + "qemu-img convert -O qcow2";
        }
        return null;
    }

    /** The CPU a kernel is for, as QEMU names it (x86_64, i386, mipsel, mips, …), or null if it is no kernel QEMU loads. */
    public static String kernelArch(Path file) throws IOException {
        byte[] h = head(file, 0x240);
        if (at(h, 0x202, "HdrS")) {
            // the boot protocol's xloadflags (2.12+): bit 0, a 64-bit entry point
            return h.length > 0x236 && (h[0x236] & 1) == 1 ? "x86_64" : "i386";
        }
        if (h.length >= 20 && (h[0] & 0xff) == 0x7f && at(h, 1, "ELF")) {
            boolean little = h[5] == 1;
            int machine = little ? (h[18] & 0xff) | (h[19] & 0xff) << 8 : (h[19] & 0xff) | (h[18] & 0xff) << 8;
            return switch (machine) {
                case 62 -> "x86_64";
                case 3 -> "i386";
                case 8 -> little ? "mipsel" : "mips";
                case 183 -> "aarch64";
                case 40 -> "arm";
                default -> "ELF machine " + machine;
            };
        }
        return null;
    }

    private static boolean at(byte[] h, int offset, String magic) {
        if (h.length < offset + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (h[offset + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }

    /** An upload or a lookup refused, with every field that is wrong and what to do. */
    public static final class PeerVmException extends RuntimeException implements ErrorResponse {
        private final HttpStatus status;
        private final String title;
        private final transient List<Violation> violations;

        public PeerVmException(HttpStatus status, String title, List<Violation> violations) {
            super(violations.get(0).field() + " " + violations.get(0).message());
            this.status = status;
            this.title = title;
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return status;
        }

        @Override
        public ProblemDetail getBody() {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, violations.size() == 1 ? getMessage()
                    : violations.size() + " fields are invalid; see errors");
            problem.setTitle(title);
            problem.setProperty("errors", violations.stream().map(v -> Map.of("field", v.field(), "message", v.message())).toList());
            return problem;
        }
    }
}
