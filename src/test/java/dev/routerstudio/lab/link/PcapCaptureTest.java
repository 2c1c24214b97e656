package dev.routerstudio.lab.link;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcapCaptureTest {

    static byte[] frame(int n, int size) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (n + i);
        }
        return f;
    }

    static PcapFile download(PcapCapture c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = c.writeTo(out);
        assertThat(written).isEqualTo(out.size()).isEqualTo(c.sizeBytes());
        return PcapFile.parse(out.toByteArray());
    }

    @Test
    void theFileHasAGlobalHeaderAndOneRecordPerFrameWithItsTimeAndLength() throws Exception {
        PcapCapture c = new PcapCapture(1 << 20);
        c.add(1_700_000_000_123_456L, frame(1, 60));
        c.add(1_700_000_001_000_001L, frame(2, 1514));
        PcapFile p = download(c);
        assertThat(p.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(p.versionMajor()).isEqualTo(2);
        assertThat(p.versionMinor()).isEqualTo(4);
        assertThat(p.linktype()).isEqualTo(1);
        assertThat(p.snaplen()).isEqualTo(PcapCapture.SNAPLEN);
        assertThat(p.records()).hasSize(2);
        assertThat(p.records().get(0).seconds()).isEqualTo(1_700_000_000L);
        assertThat(p.records().get(0).micros()).isEqualTo(123_456L);
        assertThat(p.records().get(0).includedLength()).isEqualTo(60).isEqualTo(p.records().get(0).originalLength());
        assertThat(p.records().get(0).data()).isEqualTo(frame(1, 60));
        assertThat(p.records().get(1).seconds()).isEqualTo(1_700_000_001L);
        assertThat(p.records().get(1).micros()).isEqualTo(1L);
        assertThat(p.records().get(1).data()).isEqualTo(frame(2, 1514));
        assertThat(c.sizeBytes()).isEqualTo(24 + 16 + 60 + 16 + 1514);
    }

    @Test
    void anEmptyCaptureIsAValidFileWithNoRecords() throws Exception {
        PcapFile p = download(new PcapCapture(PcapCapture.MIN_LIMIT));
        assertThat(p.records()).isEmpty();
        assertThat(p.linktype()).isEqualTo(1);
    }

    @Test
    void theRingKeepsTheNewestFramesWithinTheBoundAndDropsTheOldest() throws Exception {
        long limit = 24 + 10 * (16 + 200) + 50; // room for ten 200-byte frames, not eleven
        PcapCapture c = new PcapCapture(limit);
        for (int i = 0; i < 25; i++) {
            c.add(1_000_000L * i, frame(i, 200));
            assertThat(c.sizeBytes()).isLessThanOrEqualTo(limit);
        }
        PcapFile p = download(c);
        assertThat(p.records()).hasSize(10);
        assertThat(c.evicted()).isEqualTo(15);
        for (int i = 0; i < 10; i++) {
            assertThat(p.records().get(i).seconds()).isEqualTo(15 + i);
            assertThat(p.records().get(i).data()).isEqualTo(frame(15 + i, 200));
        }
        // A large frame pushes out as many small ones as it needs.
        c.add(99_000_000L, frame(99, 1000));
        PcapFile q = download(c);
        assertThat(q.records()).hasSize(6);
        assertThat(q.records().get(5).data()).hasSize(1000);
        assertThat(q.records().get(0).seconds()).isEqualTo(20);
        assertThat(c.sizeBytes()).isLessThanOrEqualTo(limit);
    }

    @Test
    void aFrameLargerThanTheWholeBoundIsCountedNotKept() throws Exception {
        PcapCapture c = new PcapCapture(PcapCapture.MIN_LIMIT);
        c.add(1, frame(1, 60));
        c.add(2, frame(2, 4000));
        assertThat(c.tooLarge()).isEqualTo(1);
        assertThat(download(c).records()).hasSize(1);
        assertThatThrownBy(() -> new PcapCapture(100)).hasMessageContaining("at least");
    }
}
