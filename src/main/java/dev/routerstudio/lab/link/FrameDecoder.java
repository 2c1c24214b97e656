package dev.routerstudio.lab.link;

import dev.routerstudio.profile.Ipv6;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line for one Ethernet frame, as the lab page's packet summary shows it: the innermost
 * protocol it recognises and what the frame says ("PADI", "LCP ConfReq id 1", "DHCP Offer",
 * "ARP who-has 203.0.113.1 tell 203.0.113.100", "ICMPv6 RA", "TCP 10.64.0.100:40312 > 198.51.100.80:80 SYN").
 * 802.1Q tags are named in front. Not a full dissector: what the lab's links carry (PPPoE, PPP
 * and its control protocols, L2TP, ARP, IPv4/IPv6 with ICMP, UDP, TCP, DHCP, DHCPv6, DNS) is
 * decoded; anything else says its ethertype or IP protocol. A short frame never throws.
 */
public final class FrameDecoder {

    /** protocol: a short name for the protocol column; summary: the whole line. */
    public record Decoded(String protocol, String summary) {
    }

    private FrameDecoder() {
    }

    public static Decoded decode(byte[] f) {
        try {
            return ethernet(f);
        } catch (IndexOutOfBoundsException e) {
            return new Decoded("?", "truncated frame (" + f.length + " bytes)");
        }
    }

    private static Decoded ethernet(byte[] f) {
        if (f.length < 14) {
            return new Decoded("?", "runt frame (" + f.length + " bytes)");
        }
        int off = 12;
        int type = u16(f, off);
        StringBuilder tags = new StringBuilder();
        while (type == 0x8100 || type == 0x88a8) {
            tags.append("vlan ").append(u16(f, off + 2) & 0x0fff).append(' ');
            off += 4;
            type = u16(f, off);
        }
        off += 2;
        Decoded d = switch (type) {
            case 0x0806 -> arp(f, off);
            case 0x0800 -> ipv4(f, off);
            case 0x86dd -> ipv6(f, off);
            case 0x8863 -> pppoeDiscovery(f, off);
            case 0x8864 -> ppp(f, off + 6, u16(f, off + 6), off + 8, "");
            default -> new Decoded("Ethernet", String.format("ethertype 0x%04x, %d bytes", type, f.length));
        };
        return tags.isEmpty() ? d : new Decoded(d.protocol(), tags + d.summary());
    }

    private static Decoded arp(byte[] f, int off) {
        int op = u16(f, off + 6);
        String sender = ip4(f, off + 14);
        String target = ip4(f, off + 24);
        return switch (op) {
            case 1 -> new Decoded("ARP", "ARP who-has " + target + " tell " + sender);
            case 2 -> new Decoded("ARP", "ARP " + sender + " is-at " + mac(f, off + 8));
            default -> new Decoded("ARP", "ARP op " + op);
        };
    }

    private static Decoded pppoeDiscovery(byte[] f, int off) {
        int code = u8(f, off + 1);
        int session = u16(f, off + 2);
        String name = switch (code) {
            case 0x09 -> "PADI";
            case 0x07 -> "PADO";
            case 0x19 -> "PADR";
            case 0x65 -> "PADS";
            case 0xa7 -> "PADT";
            default -> String.format("PPPoE discovery code 0x%02x", code);
        };
        String tag = acName(f, off + 6, Math.min(f.length, off + 6 + u16(f, off + 4)));
        return new Decoded("PPPoE", name + (session != 0 ? String.format(" session 0x%04x", session) : "") + tag);
    }

    /** The AC-Name tag of a PADO (0x0102), which says who answered. */
    private static String acName(byte[] f, int off, int end) {
        while (off + 4 <= end) {
            int type = u16(f, off);
            int len = u16(f, off + 2);
            if (type == 0x0102 && off + 4 + len <= end) {
                return " ac " + printable(f, off + 4, len);
            }
            off += 4 + len;
        }
        return "";
    }

    private static Decoded ppp(byte[] f, int protoOff, int proto, int off, String prefix) {
        String p = switch (proto) {
            case 0xc021 -> "LCP";
            case 0x8021 -> "IPCP";
            case 0x8057 -> "IPV6CP";
            case 0x80fd -> "CCP";
            case 0xc023 -> "PAP";
            case 0xc223 -> "CHAP";
            default -> null;
        };
        if (proto == 0x0021) {
            Decoded d = ipv4(f, off);
            return new Decoded(d.protocol(), prefix + d.summary());
        }
        if (proto == 0x0057) {
            Decoded d = ipv6(f, off);
            return new Decoded(d.protocol(), prefix + d.summary());
        }
        if (p == null) {
            return new Decoded("PPP", prefix + String.format("PPP protocol 0x%04x", proto));
        }
        int code = u8(f, off);
        int id = u8(f, off + 1);
        String what = switch (p) {
            case "PAP" -> switch (code) {
                case 1 -> "AuthReq";
                case 2 -> "AuthAck";
                case 3 -> "AuthNak";
                default -> "code " + code;
            };
            case "CHAP" -> switch (code) {
                case 1 -> "Challenge";
                case 2 -> "Response";
                case 3 -> "Success";
                case 4 -> "Failure";
                default -> "code " + code;
            };
            default -> switch (code) {
                case 1 -> "ConfReq";
                case 2 -> "ConfAck";
                case 3 -> "ConfNak";
                case 4 -> "ConfRej";
                case 5 -> "TermReq";
                case 6 -> "TermAck";
                case 7 -> "CodeRej";
                case 8 -> "ProtRej";
                case 9 -> "EchoReq";
                case 10 -> "EchoRep";
                case 11 -> "DiscReq";
                default -> "code " + code;
            };
        };
        return new Decoded(p, prefix + p + " " + what + " id " + id);
    }

    private static Decoded ipv4(byte[] f, int off) {
        int ihl = (u8(f, off) & 0x0f) * 4;
        int proto = u8(f, off + 9);
        String src = ip4(f, off + 12);
        String dst = ip4(f, off + 16);
        int fragOffset = u16(f, off + 6) & 0x1fff;
        if (fragOffset != 0) {
            return new Decoded("IPv4", "IPv4 fragment " + src + " > " + dst);
        }
        int l4 = off + ihl;
        return switch (proto) {
            case 1 -> icmp4(f, l4, src, dst);
            case 6 -> tcp(f, l4, src, dst, false);
            case 17 -> udp(f, l4, src, dst, false);
            default -> new Decoded("IPv4", "IPv4 " + src + " > " + dst + " protocol " + proto);
        };
    }

    private static Decoded icmp4(byte[] f, int off, String src, String dst) {
        int type = u8(f, off);
        String what = switch (type) {
            case 0 -> "echo reply";
            case 3 -> "unreachable code " + u8(f, off + 1);
            case 8 -> "echo request";
            case 11 -> "time exceeded";
            default -> "type " + type;
        };
        return new Decoded("ICMP", "ICMP " + what + " " + src + " > " + dst);
    }

    private static Decoded ipv6(byte[] f, int off) {
        int next = u8(f, off + 6);
        String src = ip6(f, off + 8);
        String dst = ip6(f, off + 24);
        int l4 = off + 40;
        // hop-by-hop, routing and destination options (MLD reports carry a hop-by-hop header)
        while (next == 0 || next == 43 || next == 60) {
            next = u8(f, l4);
            l4 += (u8(f, l4 + 1) + 1) * 8;
        }
        return switch (next) {
            case 58 -> icmp6(f, l4, src, dst);
            case 6 -> tcp(f, l4, src, dst, true);
            case 17 -> udp(f, l4, src, dst, true);
            case 44 -> new Decoded("IPv6", "IPv6 fragment " + src + " > " + dst);
            default -> new Decoded("IPv6", "IPv6 " + src + " > " + dst + " next header " + next);
        };
    }

    private static Decoded icmp6(byte[] f, int off, String src, String dst) {
        int type = u8(f, off);
        String what = switch (type) {
            case 1 -> "unreachable code " + u8(f, off + 1);
            case 128 -> "echo request " + src + " > " + dst;
            case 129 -> "echo reply " + src + " > " + dst;
            case 133 -> "RS from " + src;
            case 134 -> "RA from " + src;
            case 135 -> "NS who-has " + ip6(f, off + 8);
            case 136 -> "NA " + ip6(f, off + 8);
            case 143 -> "MLDv2 report";
            default -> "type " + type + " " + src + " > " + dst;
        };
        return new Decoded("ICMPv6", "ICMPv6 " + what);
    }

    private static Decoded tcp(byte[] f, int off, String src, String dst, boolean v6) {
        int sp = u16(f, off);
        int dp = u16(f, off + 2);
        int flags = u8(f, off + 13);
        List<String> names = new ArrayList<>();
        if ((flags & 0x02) != 0) {
            names.add("SYN");
        }
        if ((flags & 0x01) != 0) {
            names.add("FIN");
        }
        if ((flags & 0x04) != 0) {
            names.add("RST");
        }
        if ((flags & 0x08) != 0) {
            names.add("PSH");
        }
        if ((flags & 0x10) != 0) {
            names.add("ACK");
        }
        return new Decoded("TCP", "TCP " + endpoint(src, sp, v6) + " > " + endpoint(dst, dp, v6) + " " + String.join(" ", names));
    }

    private static Decoded udp(byte[] f, int off, String src, String dst, boolean v6) {
        int sp = u16(f, off);
        int dp = u16(f, off + 2);
        int data = off + 8;
        if ((sp == 67 || sp == 68) && (dp == 67 || dp == 68)) {
            return dhcp(f, data);
        }
        if (sp == 546 || sp == 547 || dp == 546 || dp == 547) {
            return dhcp6(f, data);
        }
        if (sp == 53 || dp == 53) {
            return dns(f, data);
        }
        if (sp == 1701 || dp == 1701) {
            return l2tp(f, data);
        }
        if (sp == 123 || dp == 123) {
            return new Decoded("NTP", "NTP " + endpoint(src, sp, v6) + " > " + endpoint(dst, dp, v6));
        }
        return new Decoded("UDP", "UDP " + endpoint(src, sp, v6) + " > " + endpoint(dst, dp, v6));
    }

    private static Decoded dhcp(byte[] f, int off) {
        String yiaddr = ip4(f, off + 16);
        int o = off + 240; // fixed part and magic cookie
        while (o < f.length) {
            int code = u8(f, o);
            if (code == 255) {
                break;
            }
            if (code == 0) {
                o++;
                continue;
            }
            int len = u8(f, o + 1);
            if (code == 53) {
                int t = u8(f, o + 2);
                String name = switch (t) {
                    case 1 -> "Discover";
                    case 2 -> "Offer";
                    case 3 -> "Request";
                    case 4 -> "Decline";
                    case 5 -> "Ack";
                    case 6 -> "Nak";
                    case 7 -> "Release";
                    case 8 -> "Inform";
                    default -> "type " + t;
                };
                boolean offers = t == 2 || t == 5;
                return new Decoded("DHCP", "DHCP " + name + (offers ? " " + yiaddr : ""));
            }
            o += 2 + len;
        }
        return new Decoded("DHCP", "BOOTP");
    }

    private static Decoded dhcp6(byte[] f, int off) {
        int t = u8(f, off);
        String name = switch (t) {
            case 1 -> "Solicit";
            case 2 -> "Advertise";
            case 3 -> "Request";
            case 4 -> "Confirm";
            case 5 -> "Renew";
            case 6 -> "Rebind";
            case 7 -> "Reply";
            case 8 -> "Release";
            case 9 -> "Decline";
            case 10 -> "Reconfigure";
            case 11 -> "Information-Request";
            case 12 -> "Relay-Forward";
            case 13 -> "Relay-Reply";
            default -> "type " + t;
        };
        return new Decoded("DHCPv6", "DHCPv6 " + name);
    }

    private static Decoded dns(byte[] f, int off) {
        boolean response = (u8(f, off + 2) & 0x80) != 0;
        int qd = u16(f, off + 4);
        StringBuilder name = new StringBuilder();
        int o = off + 12;
        int qtype = 0;
        if (qd > 0) {
            while (true) {
                int len = u8(f, o);
                if (len == 0 || (len & 0xc0) != 0) {
                    o += len == 0 ? 1 : 2;
                    break;
                }
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(printable(f, o + 1, len));
                o += 1 + len;
            }
            qtype = u16(f, o);
        }
        String type = switch (qtype) {
            case 1 -> "A";
            case 28 -> "AAAA";
            case 12 -> "PTR";
            case 0 -> "";
            default -> "type" + qtype;
        };
        return new Decoded("DNS", "DNS " + (response ? "response " : "query ") + type + (name.isEmpty() ? "" : " " + name));
    }

    /** RFC 2661: control messages name their type in the first AVP; data messages carry PPP. */
    private static Decoded l2tp(byte[] f, int off) {
        int flags = u16(f, off);
        boolean control = (flags & 0x8000) != 0;
        boolean hasLength = (flags & 0x4000) != 0;
        boolean hasSeq = (flags & 0x0800) != 0;
        boolean hasOffset = (flags & 0x0200) != 0;
        int o = off + 2 + (hasLength ? 2 : 0) + 4 + (hasSeq ? 4 : 0);
        if (hasOffset) {
            o += 2 + u16(f, o);
        }
        if (!control) {
            if (u16(f, o) == 0xff03) {
                o += 2;
            }
            return ppp(f, o, u16(f, o), o + 2, "L2TP ");
        }
        int end = hasLength ? off + u16(f, off + 2) : f.length;
        if (o + 8 > end) {
            return new Decoded("L2TP", "L2TP ZLB ack");
        }
        int type = u16(f, o + 6);
        String name = switch (type) {
            case 1 -> "SCCRQ";
            case 2 -> "SCCRP";
            case 3 -> "SCCCN";
            case 4 -> "StopCCN";
            case 6 -> "HELLO";
            case 10 -> "ICRQ";
            case 11 -> "ICRP";
            case 12 -> "ICCN";
            case 14 -> "CDN";
            default -> "message " + type;
        };
        return new Decoded("L2TP", "L2TP " + name);
    }

    private static String endpoint(String addr, int port, boolean v6) {
        return v6 ? "[" + addr + "]:" + port : addr + ":" + port;
    }

    private static String printable(byte[] f, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + Math.min(len, 64); i++) {
            int c = u8(f, i);
            s.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return s.toString();
    }

    static int u8(byte[] f, int i) {
        return f[i] & 0xff;
    }

    static int u16(byte[] f, int i) {
        return (u8(f, i) << 8) | u8(f, i + 1);
    }

    private static String ip4(byte[] f, int off) {
        return u8(f, off) + "." + u8(f, off + 1) + "." + u8(f, off + 2) + "." + u8(f, off + 3);
    }

    private static String mac(byte[] f, int off) {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", u8(f, off), u8(f, off + 1), u8(f, off + 2), u8(f, off + 3),
                u8(f, off + 4), u8(f, off + 5));
    }

    /** RFC 5952 text, as the profile's addresses are written. */
    static String ip6(byte[] f, int off) {
        return Ipv6.format(new BigInteger(1, Arrays.copyOfRange(f, off, off + 16)));
    }
}
