package dev.routerstudio.lab.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic pcap file read back by the tests, independently of {@link PcapCapture}: the global
 * header's fields and each record, with every length checked against the file.
 */
public record PcapFile(ByteOrder order, int versionMajor, int versionMinor, int snaplen, int linktype, List<Record> records) {

    public record Record(long seconds, long micros, int includedLength, int originalLength, byte[] data) {
    }

    public static PcapFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static PcapFile parse(byte[] bytes) {
        if (bytes.length < 24) {
            throw new IllegalArgumentException("shorter than a pcap global header: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new IllegalArgumentException(String.format("not a microsecond pcap: magic 0x%08x", magic));
            }
        }
        int major = Short.toUnsignedInt(b.getShort(4));
        int minor = Short.toUnsignedInt(b.getShort(6));
        int snaplen = b.getInt(16);
        int linktype = b.getInt(20);
        List<Record> records = new ArrayList<>();
        int off = 24;
        while (off < bytes.length) {
            if (off + 16 > bytes.length) {
                throw new IllegalArgumentException("a record header is cut off at byte " + off);
            }
            long sec = Integer.toUnsignedLong(b.getInt(off));
            long usec = Integer.toUnsignedLong(b.getInt(off + 4));
            int incl = b.getInt(off + 8);
            int orig = b.getInt(off + 12);
            if (incl < 0 || off + 16 + incl > bytes.length) {
                throw new IllegalArgumentException("record at byte " + off + " says " + incl + " bytes, past the end of the file");
            }
            byte[] data = new byte[incl];
            System.arraycopy(bytes, off + 16, data, 0, incl);
            records.add(new Record(sec, usec, incl, orig, data));
            off += 16 + incl;
        }
        return new PcapFile(b.order(), major, minor, snaplen, linktype, records);
    }

    /** The ethertype after any 802.1Q tags. */
    public static int ethertype(byte[] frame) {
        int off = 12;
        int type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        while (type == 0x8100 || type == 0x88a8) {
            off += 4;
            type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        }
        return type;
    }

    /** The PPPoE discovery code (0x09 PADI, 0x07 PADO, …) of a frame of ethertype 0x8863. */
    public static int pppoeCode(byte[] frame) {
        int off = 12;
        while ((((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff)) != 0x8863) {
            off += 4;
        }
        return frame[off + 3] & 0xff;
    }
}
