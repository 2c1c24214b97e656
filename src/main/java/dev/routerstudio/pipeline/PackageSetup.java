package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ServiceCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * What dpkg's configure step would do for the profile's PATH packages, done from their maintainer
 * scripts as {@link MaintainerScripts} reads them: system users and groups (for /etc/passwd and
 * /etc/group, written by {@link EtcStage}), alternatives as symlinks (LINK → /etc/alternatives/NAME
 * → PATH, the highest priority whose program is in the image wins, as in Debian's auto mode) and
 * add-shell's /etc/shells lines.
 *
 * Ids: the studio's own users (service.conf users) keep theirs and win a name clash (one entry,
 * the studio's). A group Debian's base-passwd fixes (dialout, www-data, …) gets base-passwd's gid.
 * Any other account gets the id its script asks for when that is free, else one in 200–899 picked
 * from a hash of its name (probing upwards): stable from build to build whatever else the image
 * holds, which matters once files owned by it outlive an upgrade.
 */
public final class PackageSetup {

    public record Account(String name, int uid, int gid, String home, String shell, String gecos, String origin) {
    }

    public record GroupEntry(String name, int gid, List<String> members, String origin) {
    }

    /** What EtcStage adds to passwd, group, shadow and shells. */
    public record Result(List<Account> users, List<GroupEntry> groups, List<String> shells) {
        public static final Result NONE = new Result(List.of(), List.of(), List.of());
    }

    static final int FIRST_ID = 200;
    static final int ID_SPAN = 700;

    /** Debian base-passwd's static groups (gid fixed by Debian; created when a package names one). */
    static final Map<String, Integer> BASE_GROUPS = Map.ofEntries(Map.entry("adm", 4), Map.entry("disk", 6), Map.entry("lp", 7),
            Map.entry("mail", 8), Map.entry("news", 9), Map.entry("uucp", 10), Map.entry("man", 12), Map.entry("proxy", 13),
            Map.entry("kmem", 15), Map.entry("dialout", 20), Map.entry("fax", 21), Map.entry("voice", 22), Map.entry("cdrom", 24),
            Map.entry("floppy", 25), Map.entry("tape", 26), Map.entry("sudo", 27), Map.entry("audio", 29), Map.entry("dip", 30),
            Map.entry("www-data", 33), Map.entry("backup", 34), Map.entry("operator", 37), Map.entry("list", 38), Map.entry("irc", 39),
            Map.entry("src", 40), Map.entry("shadow", 42), Map.entry("utmp", 43), Map.entry("video", 44), Map.entry("sasl", 45),
            Map.entry("plugdev", 46), Map.entry("staff", 50), Map.entry("games", 60), Map.entry("users", 100));

    /** packages: the profile's PATH packages, unpacked; studioUsers: the enabled services' users. */
    public Result run(BuildContext ctx, List<UnpackedPackage> packages, List<ServiceCatalog.User> studioUsers, RootfsLayout root) {
        List<MaintainerScripts> scripts = new ArrayList<>();
        for (UnpackedPackage p : packages) {
            scripts.add(read(p));
        }
        installAlternatives(ctx, scripts, root);
        Result r = accounts(scripts, studioUsers);
        List<String> shells = new ArrayList<>();
        for (MaintainerScripts s : scripts) {
            for (String sh : s.shells()) {
                if (root.contains(sh) && !shells.contains(sh)) {
                    shells.add(sh);
                }
            }
        }
        for (Account a : r.users()) {
            ctx.log("setup: user " + a.name() + " (" + a.uid() + ":" + a.gid() + ") for " + a.origin());
        }
        return new Result(r.users(), r.groups(), List.copyOf(shells));
    }

    static MaintainerScripts read(UnpackedPackage p) {
        try {
            Map<String, String> members = DebPackage.controlMembers(p.pkg().deb());
            Map<String, String> sysusers = new TreeMap<>();
            for (DebPackage.DebEntry e : p.entries()) {
                if (e.kind() == FsEntry.Kind.FILE && e.path().matches("/usr/lib/sysusers\\.d/[^/]+\\.conf")) {
                    sysusers.put(e.path(), Files.readString(p.file(e.path())));
                }
            }
            return MaintainerScripts.parse(p.pkg().name(), members, sysusers);
        } catch (IOException e) {
            throw new PipelineException("cannot read the maintainer scripts of " + p.pkg().name() + ": " + e.getMessage());
        }
    }

    private static void installAlternatives(BuildContext ctx, List<MaintainerScripts> scripts, RootfsLayout root) {
        Map<String, MaintainerScripts.Alternative> best = new TreeMap<>();
        Map<String, String> from = new HashMap<>();
        for (MaintainerScripts s : scripts) {
            for (MaintainerScripts.Alternative a : s.alternatives()) {
                if (!root.contains(a.master().path())) {
                    continue;
                }
                MaintainerScripts.Alternative old = best.get(a.master().name());
                if (old == null || a.priority() > old.priority()) {
                    best.put(a.master().name(), a);
                    from.put(a.master().name(), s.pkg());
                }
            }
        }
        for (Map.Entry<String, MaintainerScripts.Alternative> e : best.entrySet()) {
            List<MaintainerScripts.Link> links = new ArrayList<>();
            links.add(e.getValue().master());
            e.getValue().slaves().stream().filter(l -> root.contains(l.path())).forEach(links::add);
            for (MaintainerScripts.Link l : links) {
                FsEntry there = root.get(l.link());
                if (there != null && there.kind() != FsEntry.Kind.SYMLINK) {
                    ctx.log("setup: alternative " + l.name() + " leaves " + l.link() + " alone: a package ships a file there");
                    continue;
                }
                root.put(FsEntry.symlink(l.link(), "/etc/alternatives/" + l.name(), from.get(e.getKey())));
                root.put(FsEntry.symlink("/etc/alternatives/" + l.name(), l.path(), from.get(e.getKey())));
            }
            ctx.log("setup: alternative " + e.getKey() + " -> " + e.getValue().master().path() + " (" + from.get(e.getKey()) + ")");
        }
    }

    static Result accounts(List<MaintainerScripts> scripts, List<ServiceCatalog.User> studioUsers) {
        Set<String> takenNames = new HashSet<>(List.of("root", "nobody"));
        Set<String> takenGroupNames = new HashSet<>(List.of("root", "tty", "nogroup"));
        Set<Integer> uids = new HashSet<>(List.of(0, 65534));
        Set<Integer> gids = new HashSet<>(List.of(0, 5, 65534));
        Map<String, Integer> groupIds = new HashMap<>(Map.of("root", 0, "tty", 5, "nogroup", 65534));
        for (ServiceCatalog.User u : studioUsers) {
            takenNames.add(u.name());
            takenGroupNames.add(u.name());
            uids.add(u.uid());
            gids.add(u.gid());
            groupIds.put(u.name(), u.gid());
        }
        gids.addAll(BASE_GROUPS.values());
        Map<String, GroupEntry> groups = new LinkedHashMap<>();
        List<Account> users = new ArrayList<>();
        Map<String, List<String>> members = new TreeMap<>();
        for (MaintainerScripts s : scripts) {
            for (MaintainerScripts.Group g : s.groups()) {
                group(g.name(), g.gid(), s.pkg(), takenGroupNames, gids, groupIds, groups);
            }
            for (MaintainerScripts.User u : s.users()) {
                if (takenNames.contains(u.name())) {
                    continue; // the studio's own user (or an earlier package's) of that name stays
                }
                if (u.ownGroup()) {
                    group(u.name(), u.uid() != null && !gids.contains(u.uid()) ? u.uid() : null, s.pkg(), takenGroupNames, gids, groupIds, groups);
                }
                int gid;
                if (u.group() == null) {
                    gid = 65534;
                } else {
                    if (!groupIds.containsKey(u.group())) {
                        if (!BASE_GROUPS.containsKey(u.group())) {
                            throw new PipelineException("package '" + s.pkg() + "' creates user '" + u.name() + "' in group '" + u.group()
                                    + "', which neither its scripts nor Debian's base groups create");
                        }
                        group(u.group(), null, s.pkg(), takenGroupNames, gids, groupIds, groups);
                    }
                    gid = groupIds.get(u.group());
                }
                for (String f : new String[]{u.name(), u.group(), u.home(), u.shell(), u.gecos()}) {
                    if (f != null && (f.contains(":") || f.contains("\n"))) {
                        throw new PipelineException("package '" + s.pkg() + "' creates user '" + u.name() + "' with '" + f
                                + "', which /etc/passwd cannot hold (a colon or line break)");
                    }
                }
                int uid = u.uid() != null && !uids.contains(u.uid()) ? u.uid() : pick(u.name(), uids);
                uids.add(uid);
                takenNames.add(u.name());
                users.add(new Account(u.name(), uid, gid, u.home(), u.shell(), u.gecos() == null ? "" : u.gecos(), s.pkg()));
            }
            for (MaintainerScripts.Member m : s.members()) {
                if (!groupIds.containsKey(m.group())) {
                    if (!BASE_GROUPS.containsKey(m.group())) {
                        throw new PipelineException("package '" + s.pkg() + "' adds '" + m.user() + "' to group '" + m.group()
                                + "', which neither its scripts nor Debian's base groups create");
                    }
                    group(m.group(), null, s.pkg(), takenGroupNames, gids, groupIds, groups);
                }
                members.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(m.user());
            }
        }
        List<GroupEntry> out = new ArrayList<>();
        for (GroupEntry g : groups.values()) {
            out.add(new GroupEntry(g.name(), g.gid(), List.copyOf(members.getOrDefault(g.name(), List.of())), g.origin()));
        }
        return new Result(List.copyOf(users), List.copyOf(out), List.of());
    }

    private static void group(String name, Integer wanted, String origin, Set<String> takenNames, Set<Integer> gids,
                              Map<String, Integer> groupIds, Map<String, GroupEntry> groups) {
        if (takenNames.contains(name) || groups.containsKey(name)) {
            return;
        }
        int gid = BASE_GROUPS.containsKey(name) ? BASE_GROUPS.get(name)
                : wanted != null && !gids.contains(wanted) ? wanted : pick(name, gids);
        gids.add(gid);
        takenNames.add(name);
        groupIds.put(name, gid);
        groups.put(name, new GroupEntry(name, gid, List.of(), origin));
    }

    /** An id in 200–899 from the name's CRC-32, probing upwards past taken ones. */
    static int pick(String name, Set<Integer> taken) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int start = (int) (crc.getValue() % ID_SPAN);
        for (int i = 0; i < ID_SPAN; i++) {
            int id = FIRST_ID + (start + i) % ID_SPAN;
            if (!taken.contains(id)) {
                return id;
            }
        }
        throw new PipelineException("no free system id left in " + FIRST_ID + "–" + (FIRST_ID + ID_SPAN - 1) + " for '" + name + "'");
    }
}
