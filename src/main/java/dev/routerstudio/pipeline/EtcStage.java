package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.ServiceCatalog;

import java.util.List;
import java.util.Map;

/**
 * /etc and the rest of the fixed skeleton: accounts, hostname, resolv.conf pointing into /run,
 * the PATH profile, the WAN and service config files rendered from templates, mount points and
 * device nodes, and finally the profile's own extra files.
 */
public final class EtcStage {

    /** Paths a profile file may not replace: they are mounted over or they are the boot itself. */
    private static final List<String> RESERVED = List.of("/dev/", "/proc/", "/sys/", "/run/", "/tmp/", "/var/", "/etc/s6/", "/sbin/init");

    public void run(ProfileSpec spec, ImageRecipe recipe, Map<String, String> values, RootfsLayout root) {
        run(spec, recipe, values, PackageSetup.Result.NONE, root);
    }

    /** setup: the users, groups and shells the PATH packages' maintainer scripts create ({@link PackageSetup}). */
    public void run(ProfileSpec spec, ImageRecipe recipe, Map<String, String> values, PackageSetup.Result setup, RootfsLayout root) {
        skeleton(recipe, values, setup, root);
        for (ImageRecipe.TemplateFile f : recipe.files()) {
            String text = TemplateText.render(PipelineResources.text(f.template()), values, f.template().replace(ImageRecipe.ROOT, ""));
            root.put(FsEntry.text(f.imagePath(), f.mode(), text, "etc"));
        }
        if (spec.files() != null) {
            for (ProfileSpec.FileSpec f : spec.files()) {
                root.put(profileFile(f));
            }
        }
    }

    /**
     * Every path under /etc that some build may generate (for any WAN mode and service): the
     * skeleton, every mode's and service's template files, and the service tree. A profile may
     * not replace these; derived from what the stages write, so it cannot drift.
     */
    public static java.util.SortedSet<String> generatedEtc() {
        List<ImageRecipe.TemplateFile> files = new java.util.ArrayList<>();
        for (dev.routerstudio.profile.WanModes.Mode m : dev.routerstudio.profile.WanModes.all()) {
            files.addAll(ImageRecipe.templateFiles(PipelineResources.conf(ImageRecipe.ROOT + "wan/" + m.id() + "/mode.conf"),
                    ImageRecipe.ROOT + "wan/" + m.id() + "/"));
        }
        List<ServiceCatalog.User> users = new java.util.ArrayList<>();
        for (ServiceCatalog.Service s : ServiceCatalog.all()) {
            String dir = ImageRecipe.ROOT + "services/" + s.id() + "/";
            files.addAll(ImageRecipe.templateFiles(PipelineResources.conf(dir + "service.conf"), dir));
            users.addAll(s.users());
        }
        ImageRecipe every = new ImageRecipe("any", true, "uplink", List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.copyOf(files), List.copyOf(users));
        RootfsLayout root = new RootfsLayout();
        new EtcStage().skeleton(every, Map.of("hostname", "h", "uplink", "u"), PackageSetup.Result.NONE, root);
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (FsEntry e : root.entries()) {
            if (e.path().startsWith("/etc/") && !(e.kind() == FsEntry.Kind.DIR)) {
                out.add(e.path());
            }
        }
        for (ImageRecipe.TemplateFile f : files) {
            if (f.imagePath().startsWith("/etc/")) {
                out.add(f.imagePath());
            }
        }
        out.add(ServicesStage.ETC_ROOT);
        out.add(RootfsStage.FIRMWARE_SUMS);
        return out;
    }

    private void skeleton(ImageRecipe recipe, Map<String, String> values, PackageSetup.Result setup, RootfsLayout root) {
        // /rom and /overlay: where the initramfs puts the squashfs and the writable store, if any.
        for (String d : List.of("/dev", "/proc", "/sys", "/run", "/tmp", "/var", "/root", "/etc", "/home", "/rom", "/overlay")) {
            root.put(FsEntry.dir(d, d.equals("/tmp") ? 01777 : d.equals("/root") ? 0700 : 0755));
        }
        root.put(FsEntry.charDevice("/dev/console", 0600, 5, 1));
        root.put(FsEntry.charDevice("/dev/null", 0666, 1, 3));
        root.put(FsEntry.dir("/dev/pts", 0755));

        // Accounts: root, the users the enabled services declare (service.conf "users"), nobody.
        // No password for root: the serial console is the way in, and ssh takes keys.
        StringBuilder passwd = new StringBuilder("root:x:0:0:root:/root:/bin/sh\n");
        StringBuilder group = new StringBuilder("root:x:0:\ntty:x:5:\n");
        StringBuilder shadow = new StringBuilder("root:*:0:0:99999:7:::\n");
        for (ServiceCatalog.User u : recipe.users()) {
            passwd.append(u.name()).append(":x:").append(u.uid()).append(':').append(u.gid()).append(':').append(u.gecos())
                    .append(':').append(u.home()).append(":/bin/false\n");
            group.append(u.name()).append(":x:").append(u.gid()).append(":\n");
            shadow.append(u.name()).append(":*:0:0:99999:7:::\n");
        }
        // Then the PATH packages' system users and groups, under the names their scripts give (PackageSetup).
        for (PackageSetup.Account a : setup.users()) {
            passwd.append(a.name()).append(":x:").append(a.uid()).append(':').append(a.gid()).append(':').append(a.gecos())
                    .append(':').append(a.home()).append(':').append(a.shell()).append('\n');
            shadow.append(a.name()).append(":*:0:0:99999:7:::\n");
        }
        for (PackageSetup.GroupEntry g : setup.groups()) {
            group.append(g.name()).append(":x:").append(g.gid()).append(':').append(String.join(",", g.members())).append('\n');
        }
        passwd.append("nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        group.append("nogroup:x:65534:\n");
        shadow.append("nobody:*:0:0:99999:7:::\n");
        root.put(FsEntry.text("/etc/passwd", 0644, passwd.toString(), "etc"));
        root.put(FsEntry.text("/etc/group", 0644, group.toString(), "etc"));
        root.put(FsEntry.text("/etc/shadow", 0600, shadow.toString(), "etc"));
        root.put(FsEntry.text("/etc/hostname", 0644, TemplateText.render("{{token:hostname}}\n", values, "/etc/hostname"), "etc"));
        root.put(FsEntry.text("/etc/hosts", 0644, TemplateText.render("127.0.0.1 localhost {{token:hostname}}\n", values, "/etc/hosts"), "etc"));
        root.put(FsEntry.symlink("/etc/resolv.conf", "../run/resolv.conf", "etc"));
        root.put(FsEntry.bytes("/etc/profile", 0644, PipelineResources.bytes(ImageRecipe.ROOT + "runtime/profile"), "etc"));
        root.put(FsEntry.text("/etc/shells", 0644, "/bin/sh\n" + setup.shells().stream().map(sh -> sh + "\n")
                .collect(java.util.stream.Collectors.joining()), "etc"));
        // getservbyname() needs these (OpenNTPD looks up "ntp").
        root.put(FsEntry.text("/etc/services", 0644, "ssh 22/tcp\ndomain 53/tcp\ndomain 53/udp\nbootps 67/udp\n"
                + "bootpc 68/udp\nntp 123/udp\nl2tp 1701/udp\n", "etc"));
        // nft resolves protocol names through these (the firewall's "meta l4proto { icmp, ipv6-icmp }").
        root.put(FsEntry.text("/etc/protocols", 0644, "ip 0 IP\nicmp 1 ICMP\ntcp 6 TCP\nudp 17 UDP\nipv6-icmp 58 IPv6-ICMP\n", "etc"));
        root.put(FsEntry.symlink("/etc/dropbear", "../run/dropbear", "etc"));
        root.put(FsEntry.symlink("/etc/mtab", "../proc/self/mounts", "etc"));

        if (recipe.ppp()) {
            // pppd's usepeerdns writes /etc/ppp/resolv.conf; the root is read-only, so it lands in /run.
            root.put(FsEntry.symlink("/etc/ppp/resolv.conf", "../../run/ppp/resolv.conf", "etc"));
            root.put(FsEntry.symlink("/etc/ppp/ip-up", "../s6/rc/bin/ppp-up", "etc"));
            root.put(FsEntry.symlink("/etc/ppp/ip-down", "../s6/rc/bin/ppp-down", "etc"));
            root.put(FsEntry.text("/etc/ppp/service", 0644, TemplateText.render("{{token:uplink}}\n", values, "/etc/ppp/service"), "etc"));
        }
    }

    static FsEntry profileFile(ProfileSpec.FileSpec f) {
        String path = f.path();
        if (path == null || !path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("//")
                || path.contains("\0") || path.endsWith("/")) {
            throw new PipelineException("file path '" + path + "' must be absolute and normal (no //, .. or trailing /)");
        }
        for (String r : RESERVED) {
            if (path.startsWith(r) || path.equals(r.substring(0, r.length() - 1))) {
                throw new PipelineException("file '" + path + "' is under " + r + ", which the image provides itself");
            }
        }
        int mode = 0644;
        if (f.mode() != null) {
            if (!f.mode().matches("0?[0-7]{3,4}")) {
                throw new PipelineException("file '" + path + "' has mode '" + f.mode() + "'; want octal like 0644");
            }
            mode = Integer.parseInt(f.mode(), 8) & 07777;
        }
        return FsEntry.text(path, mode, f.content() == null ? "" : f.content(), "profile");
    }
}
