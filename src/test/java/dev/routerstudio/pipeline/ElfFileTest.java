package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElfFileTest {

    @Test
    void readsNeededAndInterpreterLikeReadelf() throws Exception {
        Path ls = Path.of("/bin/ls").toRealPath();
        ElfFile elf = ElfFile.read(ls);
        assertThat(elf.needed()).isEqualTo(readelfNeeded(ls));
        assertThat(elf.interpreter()).startsWith("/lib");
        assertThat(elf.elfClass()).isEqualTo(2);
    }

    @Test
    void readsSonameOfASharedLibrary() throws Exception {
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6").toRealPath();
        assertThat(ElfFile.read(libc).soname()).isEqualTo("libc.so.6");
    }

    /** A hand-made 32-bit little-endian MIPS ELF: one PT_LOAD, PT_INTERP, PT_DYNAMIC. */
    @Test
    void readsA32BitLittleEndianMipsFile() {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[]{0x7f, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) ElfFile.EM_MIPS);
        b.putInt(28, 52).putShort(42, (short) 32).putShort(44, (short) 3);
        // PT_LOAD covering the whole file at vaddr 0x400000
        b.putInt(52, 1).putInt(56, 0).putInt(60, 0x400000).putInt(68, 512);
        // PT_INTERP at 200
        b.putInt(84, 3).putInt(88, 200).putInt(100, 13);
        b.put(200, "/lib/ld.so.1\0".getBytes(StandardCharsets.US_ASCII));
        // PT_DYNAMIC at 300: NEEDED 1, NEEDED 11, RUNPATH 21, STRTAB, NULL
        b.putInt(116, 2).putInt(120, 300).putInt(132, 40);
        b.putInt(300, 1).putInt(304, 1).putInt(308, 1).putInt(312, 11).putInt(316, 29).putInt(320, 21)
                .putInt(324, 5).putInt(328, 0x400000 + 400).putInt(332, 0);
        b.put(400, "\0libc.so.6\0libfoo.so\0$ORIGIN/../lib\0".getBytes(StandardCharsets.US_ASCII));
        ElfFile elf = ElfFile.parse(b, "synthetic");
        assertThat(elf.machine()).isEqualTo(ElfFile.EM_MIPS);
        assertThat(elf.interpreter()).isEqualTo("/lib/ld.so.1");
        assertThat(elf.needed()).containsExactly("libc.so.6", "libfoo.so");
        assertThat(elf.runpath()).containsExactly("$ORIGIN/../lib");
    }

    @Test
    void rejectsATruncatedFile() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(0, new byte[]{0x7f, 'E', 'L', 'F', 1, 1, 1});
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(28, 40).putShort(42, (short) 32).putShort(44, (short) 5);
        assertThatThrownBy(() -> ElfFile.parse(b, "broken")).hasMessageContaining("broken");
    }

    static List<String> readelfNeeded(Path file) throws Exception {
        Process p = new ProcessBuilder("readelf", "-d", file.toString()).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        Pattern needed = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)]");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = needed.matcher(line);
                if (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        p.waitFor();
        return out;
    }
}
