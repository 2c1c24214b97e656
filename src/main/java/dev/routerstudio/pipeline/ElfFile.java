package dev.routerstudio.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the prune stage needs from an ELF file: its interpreter and its dynamic section
 * (DT_NEEDED, DT_SONAME, DT_RUNPATH/DT_RPATH). Reads 32- and 64-bit, either byte order,
 * through the program headers, so stripped binaries work.
 */
public record ElfFile(int elfClass, boolean littleEndian, int machine, int type, String interpreter,
                      List<String> needed, String soname, List<String> runpath) {

    public static final int EM_MIPS = 8;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_SONAME = 14;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;

    /** True when the file starts with the ELF magic. */
    public static boolean isElf(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 52) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b, 0);
            byte[] a = b.array();
            return a[0] == 0x7f && a[1] == 'E' && a[2] == 'L' && a[3] == 'F';
        }
    }

    public static Optional<ElfFile> readIfElf(Path file) throws IOException {
        return isElf(file) ? Optional.of(read(file)) : Optional.empty();
    }

    public static ElfFile read(Path file) throws IOException {
        return parse(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
    }

    public static ElfFile parse(ByteBuffer buf, String name) {
        try {
            if (buf.limit() < 52 || buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
                throw new PipelineException(name + " is not an ELF file");
            }
            int cls = buf.get(4);
            boolean le = buf.get(5) == 1;
            buf.order(le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            boolean is64 = cls == 2;
            int type = Short.toUnsignedInt(buf.getShort(16));
            int machine = Short.toUnsignedInt(buf.getShort(18));
            long phoff = is64 ? buf.getLong(32) : Integer.toUnsignedLong(buf.getInt(28));
            int phentsize = Short.toUnsignedInt(buf.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(buf.getShort(is64 ? 56 : 44));

            List<long[]> loads = new ArrayList<>(); // vaddr, offset, filesz
            String interp = null;
            long dynOff = -1;
            long dynSize = 0;
            for (int i = 0; i < phnum; i++) {
                int p = (int) (phoff + (long) i * phentsize);
                int ptype = buf.getInt(p);
                long off = is64 ? buf.getLong(p + 8) : Integer.toUnsignedLong(buf.getInt(p + 4));
                long vaddr = is64 ? buf.getLong(p + 16) : Integer.toUnsignedLong(buf.getInt(p + 8));
                long filesz = is64 ? buf.getLong(p + 32) : Integer.toUnsignedLong(buf.getInt(p + 16));
                if (ptype == PT_LOAD) {
                    loads.add(new long[]{vaddr, off, filesz});
                } else if (ptype == PT_INTERP) {
                    interp = cString(buf, (int) off);
                } else if (ptype == PT_DYNAMIC) {
                    dynOff = off;
                    dynSize = filesz;
                }
            }
            List<String> needed = new ArrayList<>();
            List<String> runpath = new ArrayList<>();
            String soname = null;
            if (dynOff >= 0) {
                int entSize = is64 ? 16 : 8;
                List<long[]> dyn = new ArrayList<>();
                long strtab = -1;
                for (long o = dynOff; o + entSize <= dynOff + dynSize; o += entSize) {
                    long tag = is64 ? buf.getLong((int) o) : buf.getInt((int) o);
                    long val = is64 ? buf.getLong((int) o + 8) : Integer.toUnsignedLong(buf.getInt((int) o + 4));
                    if (tag == DT_NULL) {
                        break;
                    }
                    if (tag == DT_STRTAB) {
                        strtab = val;
                    }
                    dyn.add(new long[]{tag, val});
                }
                if (strtab >= 0) {
                    long strOff = toOffset(loads, strtab, name);
                    for (long[] d : dyn) {
                        if (d[0] == DT_NEEDED) {
                            needed.add(cString(buf, (int) (strOff + d[1])));
                        } else if (d[0] == DT_SONAME) {
                            soname = cString(buf, (int) (strOff + d[1]));
                        } else if (d[0] == DT_RUNPATH || d[0] == DT_RPATH) {
                            for (String s : cString(buf, (int) (strOff + d[1])).split(":")) {
                                if (!s.isEmpty()) {
                                    runpath.add(s);
                                }
                            }
                        }
                    }
                }
            }
            return new ElfFile(cls, le, machine, type, interp, List.copyOf(needed), soname, List.copyOf(runpath));
        } catch (IndexOutOfBoundsException e) {
            throw new PipelineException(name + " is a truncated or malformed ELF file");
        }
    }

    private static long toOffset(List<long[]> loads, long vaddr, String name) {
        for (long[] l : loads) {
            if (vaddr >= l[0] && vaddr < l[0] + l[2]) {
                return vaddr - l[0] + l[1];
            }
        }
        throw new PipelineException(name + ": DT_STRTAB address 0x" + Long.toHexString(vaddr) + " is outside every PT_LOAD segment");
    }

    private static String cString(ByteBuffer buf, int off) {
        int end = off;
        while (buf.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - off];
        buf.get(off, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
