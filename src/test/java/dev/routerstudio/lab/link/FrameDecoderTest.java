package dev.routerstudio.lab.link;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder on frames captured from real labs by the relay (src/test/resources/link: a PPPoE
 * lab's access and lan links, VLAN 35 on the access link), plus a few built by hand for what
 * those labs do not send.
 */
class FrameDecoderTest {

    static List<String> summaries(String resource) throws Exception {
        try (InputStream in = FrameDecoderTest.class.getResourceAsStream("/link/" + resource)) {
            return PcapFile.parse(in.readAllBytes()).records().stream().map(r -> FrameDecoder.decode(r.data()).summary()).toList();
        }
    }

    static List<byte[]> frames(String resource) throws Exception {
        try (InputStream in = FrameDecoderTest.class.getResourceAsStream("/link/" + resource)) {
            return PcapFile.parse(in.readAllBytes()).records().stream().map(PcapFile.Record::data).toList();
        }
    }

    @Test
    void aPppoeSessionFromDiscoveryToIpcpReadsInOrder() throws Exception {
        List<String> s = summaries("pppoe-access.pcap");
        // discovery, then LCP, CHAP and IPCP, as pppd and pppoe-server exchanged them (tagged VLAN 35)
        assertThat(s).containsSubsequence("vlan 35 PADI", "vlan 35 PADO ac isp", "vlan 35 PADR", "vlan 35 PADS session 0x0001",
                "vlan 35 LCP ConfReq id 1", "vlan 35 LCP ConfAck id 1", "vlan 35 CHAP Challenge id 155", "vlan 35 CHAP Response id 155",
                "vlan 35 CHAP Success id 155", "vlan 35 IPCP ConfReq id 1", "vlan 35 IPCP ConfNak id 1", "vlan 35 IPCP ConfAck id 2");
        assertThat(s).contains("vlan 35 LCP EchoReq id 1", "vlan 35 LCP EchoRep id 1", "vlan 35 LCP TermReq id 2",
                "vlan 35 LCP TermAck id 2", "vlan 35 PADT session 0x0001", "vlan 35 IPV6CP ConfAck id 1");
        // IPv4 inside the PPPoE session: the LAN client's page fetch, NATed to the router's WAN address
        assertThat(s).contains("vlan 35 TCP 10.64.0.100:35284 > 198.51.100.80:80 SYN", "vlan 35 TCP 198.51.100.80:80 > 10.64.0.100:35284 SYN ACK",
                "vlan 35 TCP 10.64.0.1:43314 > 10.64.0.101:22 SYN", "vlan 35 DNS query A world.example",
                "vlan 35 ICMP echo request 10.64.0.1 > 192.168.1.131");
        // the ISP's IPv6 neighbour discovery on the access network, untagged and tagged
        assertThat(s).contains("ICMPv6 NS who-has fe80::5054:ff:fe00:301", "ICMPv6 RS from fe80::5054:ff:fe00:101",
                "ICMPv6 MLDv2 report").anyMatch(l -> l.matches("vlan 35 ICMPv6 RA from fe80::[0-9a-f:]+"));
    }

    @Test
    void theLanLinkShowsTheClientsLeaseArpAndItsPageFetch() throws Exception {
        List<String> s = summaries("pppoe-lan.pcap");
        assertThat(s).containsSubsequence("DHCP Discover", "DHCP Offer 192.168.1.131", "DHCP Request", "DHCP Ack 192.168.1.131");
        assertThat(s).contains("ARP who-has 192.168.1.131 tell 192.168.1.1", "ARP 192.168.1.131 is-at 52:54:00:00:04:01",
                "TCP 192.168.1.131:35284 > 198.51.100.80:80 SYN", "TCP 198.51.100.80:80 > 192.168.1.131:35284 FIN ACK");
        assertThat(FrameDecoder.decode(frames("pppoe-lan.pcap").get(2)).protocol()).isEqualTo("DHCP");
    }

    @Test
    void everyCutOffPrefixOfARealFrameDecodesWithoutThrowing() throws Exception {
        for (String r : List.of("pppoe-access.pcap", "pppoe-lan.pcap")) {
            for (byte[] f : frames(r)) {
                for (int n = 0; n <= f.length; n++) {
                    byte[] cut = java.util.Arrays.copyOf(f, n);
                    assertThat(FrameDecoder.decode(cut).summary()).isNotBlank();
                }
            }
        }
        assertThat(FrameDecoder.decode(new byte[5]).summary()).isEqualTo("runt frame (5 bytes)");
    }

    static final HexFormat HEX = HexFormat.of();

    /** Ethernet + IPv6 + UDP header in front of a payload; lengths are not checked by the decoder. */
    static byte[] udp6(int sport, int dport, String payloadHex) {
        String eth = "333300010002" + "525400000101" + "86dd";
        String ip6 = "60000000" + "0000" + "11" + "01" + "fe80000000000000505400fffe000101"
                + "ff020000000000000000000000010002";
        String udp = String.format("%04x%04x00000000", sport, dport);
        return HEX.parseHex(eth + ip6 + udp + payloadHex);
    }

    @Test
    void dhcpv6AndL2tpAndUnknownEthertypesAreNamed() {
        assertThat(FrameDecoder.decode(udp6(546, 547, "01aabbcc")).summary()).isEqualTo("DHCPv6 Solicit");
        assertThat(FrameDecoder.decode(udp6(547, 546, "07aabbcc")).summary()).isEqualTo("DHCPv6 Reply");
        // L2TP over IPv4/UDP 1701: a control SCCRQ (first AVP: message type 1) and a data message carrying LCP
        String eth4 = "525400000301525400000101" + "0800";
        String ip4 = "4500" + "0000" + "0000" + "0000" + "40" + "11" + "0000" + "cb007102" + "cb007101";
        String l2tpCtl = "c802" + "0014" + "0000" + "0000" + "0000" + "0000" + "8008" + "0000" + "0000" + "0001";
        assertThat(FrameDecoder.decode(HEX.parseHex(eth4 + ip4 + "06a506a500000000" + l2tpCtl)).summary()).isEqualTo("L2TP SCCRQ");
        String l2tpData = "0002" + "0001" + "0001" + "ff03" + "c021" + "0905000a";
        assertThat(FrameDecoder.decode(HEX.parseHex(eth4 + ip4 + "06a506a500000000" + l2tpData)).summary()).isEqualTo("L2TP LCP EchoReq id 5");
        assertThat(FrameDecoder.decode(HEX.parseHex("ffffffffffff525400000101" + "88cc" + "00000000")).summary())
                .isEqualTo("ethertype 0x88cc, 18 bytes");
    }
}
