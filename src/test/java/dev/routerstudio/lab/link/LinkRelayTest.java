package dev.routerstudio.lab.link;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay over real unix sockets, with the two guests played by socket clients that speak
 * QEMU's stream framing (4-byte big-endian length, then the frame).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkRelayTest {

    Path dir;
    LinkRelay relay;

    @BeforeEach
    void open() throws IOException {
        Path base = Path.of("target", "tmp").toAbsolutePath();
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "relay-");
        relay = new LinkRelay("access", "router", dir.resolve("access-router.sock"), "isp", dir.resolve("access-isp.sock"),
                1 << 20, 100, new SplittableRandom(5), line -> { });
        relay.open();
    }

    @AfterEach
    void close() throws IOException {
        relay.close();
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
    }

    /** A guest's side: connects like QEMU's -netdev stream,server=off. */
    static final class Guest implements AutoCloseable {
        final SocketChannel ch;

        Guest(Path socket) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        }

        void send(byte[] frame) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        byte[] receive() throws IOException {
            ByteBuffer len = ByteBuffer.allocate(4);
            fill(len);
            ByteBuffer f = ByteBuffer.allocate(len.getInt(0));
            fill(f);
            return f.array();
        }

        void fill(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new IOException("closed");
                }
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** A PADI on VLAN 35, as the router sends it. */
    static byte[] padi(int n) {
        byte[] f = java.util.HexFormat.of().parseHex("ffffffffffff525400000101810000238863110900000004010100000000");
        f[f.length - 1] = (byte) n;
        return f;
    }

    @Test
    void framesPassBothWaysAndAreCapturedAndSummarised() throws Exception {
        try (Guest router = new Guest(relay.socket("router")); Guest isp = new Guest(relay.socket("isp"))) {
            relay.awaitConnected("router", Duration.ofSeconds(5), () -> true);
            relay.awaitConnected("isp", Duration.ofSeconds(5), () -> true);
            router.send(padi(1));
            assertThat(isp.receive()).isEqualTo(padi(1));
            byte[] big = new byte[1514];
            big[12] = 0x08;
            isp.send(big);
            assertThat(router.receive()).isEqualTo(big);
            LinkStatus s = awaitDelivered(2);
            assertThat(s.frames()).isEqualTo(2);
            assertThat(s.bytes()).isEqualTo(padi(1).length + 1514);
            assertThat(s.directions().get(0).from()).isEqualTo("router");
            assertThat(s.ends()).extracting(LinkStatus.End::connected).containsExactly(true, true);
            assertThat(s.capture().frames()).isEqualTo(2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            relay.capture().writeTo(out);
            PcapFile p = PcapFile.parse(out.toByteArray());
            assertThat(p.records()).hasSize(2);
            assertThat(PcapFile.ethertype(p.records().get(0).data())).isEqualTo(0x8863);
            FrameLog.Batch b = relay.frames().after(0, 10, 0);
            assertThat(b.lines()).extracting(FrameLog.Line::summary).first().isEqualTo("vlan 35 PADI");
            assertThat(b.lines().get(0).from()).isEqualTo("router");
            assertThat(b.lines().get(0).to()).isEqualTo("isp");
        }
    }

    LinkStatus awaitDelivered(long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        LinkStatus s = relay.status();
        while (s.directions().stream().mapToLong(LinkStatus.Direction::delivered).sum() + s.dropped() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
            s = relay.status();
        }
        return s;
    }

    @Test
    void aDownLinkDropsBothWaysUntilItIsUpAgainAndADelayedFrameComesLater() throws Exception {
        try (Guest router = new Guest(relay.socket("router")); Guest isp = new Guest(relay.socket("isp"))) {
            relay.awaitConnected("isp", Duration.ofSeconds(5), () -> true);
            relay.awaitConnected("router", Duration.ofSeconds(5), () -> true);
            assertThat(relay.change(new LinkChange(false, null, null, null)).state()).isEqualTo("down");
            router.send(padi(1));
            isp.send(padi(2));
            LinkStatus s = awaitDelivered(2);
            assertThat(s.directions()).extracting(LinkStatus.Direction::down).containsExactly(1L, 1L);
            assertThat(s.directions()).extracting(LinkStatus.Direction::delivered).containsExactly(0L, 0L);
            assertThat(relay.frames().after(0, 10, 0).lines()).extracting(FrameLog.Line::fate).containsExactly("down", "down");
            relay.change(new LinkChange(true, null, 200, null));
            long t0 = System.nanoTime();
            router.send(padi(3));
            assertThat(isp.receive()).isEqualTo(padi(3)); // the dropped PADI 1 never arrives
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(195);
            // the impairment stays when only the state changes; a change to loss keeps the delay
            assertThat(relay.change(new LinkChange(null, 0.0, null, null)).impairment()).isEqualTo(new Impairment(0, 200, 0));
            assertThat(relay.setting()).isEqualTo(new LinkChange(true, 0.0, 200, 0));
        }
    }

    @Test
    void aSideWhoseQemuRestartsConnectsAgainAndTheOtherKeepsItsConnection() throws Exception {
        try (Guest router = new Guest(relay.socket("router"))) {
            try (Guest isp = new Guest(relay.socket("isp"))) {
                relay.awaitConnected("isp", Duration.ofSeconds(5), () -> true);
                router.send(padi(1));
                assertThat(isp.receive()).isEqualTo(padi(1));
            }
            // the ISP is gone: the router's frames find nobody
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (relay.status().ends().get(1).connected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            router.send(padi(2));
            assertThat(awaitDelivered(2).directions().get(0).noPeer()).isEqualTo(1);
            try (Guest again = new Guest(relay.socket("isp"))) {
                deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (relay.status().ends().get(1).connections() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                router.send(padi(3));
                assertThat(again.receive()).isEqualTo(padi(3));
                again.send(padi(4));
                assertThat(router.receive()).isEqualTo(padi(4));
                assertThat(relay.status().ends()).extracting(LinkStatus.End::connections).containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void closingEndsTheSocketsButKeepsTheCapture() throws Exception {
        try (Guest router = new Guest(relay.socket("router")); Guest isp = new Guest(relay.socket("isp"))) {
            relay.awaitConnected("isp", Duration.ofSeconds(5), () -> true);
            router.send(padi(1));
            isp.receive();
            relay.close();
            assertThat(Files.exists(relay.socket("router"))).isFalse();
            assertThat(Files.exists(relay.socket("isp"))).isFalse();
            assertThatThrownBy(() -> isp.receive()).isInstanceOf(IOException.class);
            assertThat(relay.capture().frameCount()).isEqualTo(1);
        }
        assertThatThrownBy(() -> relay.awaitConnected("nobody", Duration.ofSeconds(1), () -> true))
                .hasMessageContaining("has no end on node nobody");
    }

    @Test
    void aGuestThatNeverConnectsIsReportedWithTheLinkAndItsSocket() {
        assertThatThrownBy(() -> relay.awaitConnected("isp", Duration.ofMillis(300), () -> true))
                .hasMessageContaining("isp did not connect to the access link");
        assertThatThrownBy(() -> relay.awaitConnected("isp", Duration.ofSeconds(5), () -> false))
                .hasMessageContaining("QEMU for isp exited before it connected to the access link");
    }

    @Test
    void changesFromJsonAreCheckedFieldByField() {
        assertThat(LinkChange.parseJson("{\"state\":\"down\"}")).isEqualTo(new LinkChange(false, null, null, null));
        assertThat(LinkChange.parseJson("{\"lossPercent\":20,\"delayMs\":80,\"jitterMs\":10}")).isEqualTo(new LinkChange(null, 20.0, 80, 10));
        assertThat(LinkChange.parseJson("{\"lossPercent\":0.5}").lossPercent()).isEqualTo(0.5);
        LinkChange.InvalidChangeException e = org.assertj.core.api.Assertions.catchThrowableOfType(LinkChange.InvalidChangeException.class,
                () -> LinkChange.parseJson("{\"state\":\"sideways\",\"lossPercent\":120,\"delayMs\":1.5,\"jitterMs\":\"10\",\"colour\":1}"));
        assertThat(e.errors()).extracting(LinkChange.FieldError::field).containsExactly("state", "lossPercent", "delayMs", "jitterMs", "colour");
        assertThat(e.errors().get(0).message()).isEqualTo("must be \"up\" or \"down\"");
        assertThat(e.errors().get(4).message()).contains("is not a known field").contains("state, lossPercent, delayMs, jitterMs");
        for (String bad : List.of("", "{", "[]", "null", "{}", "{\"delayMs\":10001}", "{\"delayMs\":-1}", "{\"state\":\"up\",\"state\":\"down\"}")) {
            assertThatThrownBy(() -> LinkChange.parseJson(bad)).as(bad).isInstanceOf(LinkChange.InvalidChangeException.class);
        }
        assertThat(LinkChange.parseWords("loss 10 delay 50")).isEqualTo(new LinkChange(null, 10.0, 50, null));
        assertThat(LinkChange.parseWords("clear")).isEqualTo(new LinkChange(null, 0.0, 0, 0));
        assertThatThrownBy(() -> LinkChange.parseWords("loss 200")).hasMessageContaining("lossPercent must be 0–100");
        assertThatThrownBy(() -> LinkChange.parseWords("sideways")).hasMessageContaining("want 'up', 'down'");
        assertThatThrownBy(() -> LinkChange.parseWords("delay soon")).hasMessageContaining("'soon' after 'delay' is not a number");
    }
}
