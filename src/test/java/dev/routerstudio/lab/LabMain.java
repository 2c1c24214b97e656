package dev.routerstudio.lab;

import java.time.Duration;

/** Boots one lab from the command line and prints its checks: LabMain pppoe|dhcp|l2tp|static [wrong]. */
public final class LabMain {

    public static void main(String[] args) throws Exception {
        var spec = switch (args[0]) {
            case "pppoe" -> LabFixtures.pppoe("a\"b'c$(reboot)\\ n");
            case "dhcp" -> LabFixtures.dhcp();
            case "l2tp" -> LabFixtures.l2tp();
            default -> LabFixtures.staticWan();
        };
        LabRequest req = LabFixtures.router(spec);
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("wrong")) {
                req = req.withLab(req.lab().withIspValue("password", "not the router's password"));
            } else {
                // A script file: run it after the built-in checks, and keep the router up.
                java.nio.file.Path f = java.nio.file.Path.of(args[i]);
                req = req.withChecks(System.getenv("LAB_ONLY") == null, false, java.util.List.of(CheckScript.parse(f.getFileName().toString(), java.nio.file.Files.readString(f))));
            }
        }
        try (LabService labs = new LabService(LabFixtures.settings(), System.out::println)) {
            long t0 = System.nanoTime();
            String id = labs.start(req);
            LabStatus s = labs.awaitChecks(id, Duration.ofMinutes(5));
            System.out.println("== after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + s.state() + " " + (s.error() != null ? s.error() : ""));
            s.nodes().forEach(n -> System.out.println("node " + n));
            for (CheckResult c : s.checks()) {
                System.out.println("check " + c.name() + " " + c.status() + " " + c.seconds() + " s at " + c.atSeconds() + ": " + c.detail());
                if (c.excerpt() != null) {
                    System.out.println("    " + c.excerpt().replace("\n", "\n    "));
                }
            }
            if (System.getenv("LAB_PCAP") != null) {
                // each link's capture and summary, e.g. to refresh the decoder's test frames
                java.nio.file.Path dir = java.nio.file.Path.of(System.getenv("LAB_PCAP"));
                java.nio.file.Files.createDirectories(dir);
                for (String link : labs.links(id).names()) {
                    try (var out = java.nio.file.Files.newOutputStream(dir.resolve(link + ".pcap"))) {
                        labs.links(id).link(link).capture().writeTo(out);
                    }
                    System.out.println("===== link " + link + ": " + labs.links(id).link(link).status());
                    labs.links(id).link(link).frames().after(0, 100_000, 0).lines().forEach(l -> System.out.println(l));
                }
            }
            if (System.getenv("LAB_DUMP") != null) {
                for (String n : new String[]{"router", "isp", "lan"}) {
                    System.out.println("===== console " + n);
                    labs.readConsole(id, n, 0, Duration.ZERO).events().forEach(e -> System.out.print(e.text()));
                }
            }
        }
    }
}
