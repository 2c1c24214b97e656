package dev.routerstudio.lab.link;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A bounded capture of one link: the frames in arrival order, as many as fit in limitBytes of
 * pcap file (global header and record headers counted); the oldest go first when a new one does
 * not fit. The file is produced on download from what is held then, so it is always a whole,
 * valid pcap (classic format, microsecond timestamps, linktype Ethernet, little-endian).
 */
public final class PcapCapture {

    public static final int GLOBAL_HEADER = 24;
    public static final int RECORD_HEADER = 16;
    public static final int LINKTYPE_ETHERNET = 1;
    /** Larger than any frame a QEMU stream carries (its buffer is 69,632 bytes): frames are never cut. */
    public static final int SNAPLEN = 262_144;
    /** The smallest bound that holds a header and one full-size Ethernet frame. */
    public static final long MIN_LIMIT = GLOBAL_HEADER + RECORD_HEADER + 1518;

    /** One captured frame; epochMicros is its arrival time. */
    public record Frame(long epochMicros, byte[] data) {
    }

    private final long limitBytes;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private long bytes = GLOBAL_HEADER;
    private long evicted;
    private long tooLarge;

    public PcapCapture(long limitBytes) {
        if (limitBytes < MIN_LIMIT) {
            throw new IllegalArgumentException("a capture needs at least " + MIN_LIMIT + " bytes, not " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    public synchronized void add(long epochMicros, byte[] frame) {
        long size = RECORD_HEADER + (long) frame.length;
        if (GLOBAL_HEADER + size > limitBytes) {
            tooLarge++;
            return;
        }
        while (bytes + size > limitBytes) {
            Frame old = frames.removeFirst();
            bytes -= RECORD_HEADER + old.data().length;
            evicted++;
        }
        frames.addLast(new Frame(epochMicros, frame));
        bytes += size;
    }

    /** The size of the pcap file a download would get now. */
    public synchronized long sizeBytes() {
        return bytes;
    }

    public synchronized int frameCount() {
        return frames.size();
    }

    /** Frames dropped from the front to make room. */
    public synchronized long evicted() {
        return evicted;
    }

    public synchronized long tooLarge() {
        return tooLarge;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public synchronized Frame[] snapshot() {
        return frames.toArray(new Frame[0]);
    }

    /** Writes the pcap of what is held now; the lock is held only to copy the frame list. */
    public long writeTo(OutputStream out) throws IOException {
        Frame[] all = snapshot();
        out.write(globalHeader());
        long written = GLOBAL_HEADER;
        ByteBuffer rec = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        for (Frame f : all) {
            rec.clear();
            rec.putInt((int) Math.floorDiv(f.epochMicros(), 1_000_000L));
            rec.putInt((int) Math.floorMod(f.epochMicros(), 1_000_000L));
            rec.putInt(f.data().length);
            rec.putInt(f.data().length);
            out.write(rec.array());
            out.write(f.data());
            written += RECORD_HEADER + f.data().length;
        }
        out.flush();
        return written;
    }

    public static byte[] globalHeader() {
        ByteBuffer h = ByteBuffer.allocate(GLOBAL_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4); // magic: microsecond timestamps; written little-endian, readers detect the order
        h.putShort((short) 2);
        h.putShort((short) 4);
        h.putInt(0); // thiszone
        h.putInt(0); // sigfigs
        h.putInt(SNAPLEN);
        h.putInt(LINKTYPE_ETHERNET);
        return h.array();
    }
}
