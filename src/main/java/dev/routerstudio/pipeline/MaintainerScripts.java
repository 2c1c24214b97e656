package dev.routerstudio.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a package's maintainer scripts (preinst, postinst) and sysusers.d files would set up, read
 * from their text, never run: system users and groups (adduser, addgroup, useradd, groupadd,
 * sysusers.d u/g/m lines), alternatives (update-alternatives --install) and login shells
 * (add-shell). Reading rather than running under qemu-user: the scripts need dpkg, debconf and
 * perl (adduser) in a chroot, which needs root or a fake-root layer, and pick ids by what the
 * host tree happens to hold; read, the image stays reproducible and nothing foreign runs. A
 * user or group line whose name or options are not literal (a shell variable, a command
 * substitution) is refused with the line, since guessing would give a user the program does not
 * find.
 */
public record MaintainerScripts(String pkg, List<Group> groups, List<User> users, List<Member> members,
                                List<Alternative> alternatives, List<String> shells) {

    /** A system group; gid null when the script lets the tool pick one. */
    public record Group(String name, Integer gid) {
    }

    /**
     * A system user. group: its primary group's name (created with the user when ownGroup),
     * or null for Debian's default for system users, nogroup.
     */
    public record User(String name, Integer uid, String group, boolean ownGroup, String home, String shell, String gecos) {
    }

    /** An existing user added to an existing group (adduser USER GROUP, sysusers.d m). */
    public record Member(String user, String group) {
    }

    public record Link(String link, String name, String path) {
    }

    public record Alternative(Link master, int priority, List<Link> slaves) {
    }

    private record Token(String text, boolean quoted, boolean literal) {
    }

    private static final Set<String> OPERATORS = Set.of(";", "&&", "||", "|", "(", ")", "{", "}", "!", "then", "do", "else",
            "elif", "if", "while", "until", "fi", "done", "&");
    private static final Set<String> COMMANDS = Set.of("adduser", "addgroup", "useradd", "groupadd", "update-alternatives", "add-shell");

    /** scripts: maintainer script name → text; sysusers: path → text of the package's sysusers.d files. */
    public static MaintainerScripts parse(String pkg, Map<String, String> scripts, Map<String, String> sysusers) {
        List<Group> groups = new ArrayList<>();
        List<User> users = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        List<Alternative> alternatives = new ArrayList<>();
        List<String> shells = new ArrayList<>();
        for (String script : List.of("preinst", "postinst")) {
            String text = scripts.get(script);
            if (text == null) {
                continue;
            }
            for (String line : text.replace("\\\n", " ").split("\n")) {
                List<Token> tokens = tokens(line);
                for (int i = 0; i < tokens.size(); i++) {
                    Token t = tokens.get(i);
                    boolean commandPosition = i == 0 || OPERATORS.contains(tokens.get(i - 1).text()) && !tokens.get(i - 1).quoted();
                    if (t.quoted() || !commandPosition || !COMMANDS.contains(t.text())) {
                        continue;
                    }
                    List<Token> args = new ArrayList<>();
                    for (int j = i + 1; j < tokens.size(); j++) {
                        Token a = tokens.get(j);
                        if (!a.quoted() && OPERATORS.contains(a.text())) {
                            break;
                        }
                        if (!a.quoted() && a.text().matches("[0-9]*[<>].*")) {
                            if (a.text().matches("[0-9]*[<>]+")) {
                                j++;
                            }
                            continue;
                        }
                        args.add(a);
                    }
                    String where = pkg + "'s " + script + " line `" + line.strip() + "`";
                    switch (t.text()) {
                        case "update-alternatives" -> alternative(args).ifPresent(alternatives::add);
                        case "add-shell" -> args.stream().filter(Token::literal).map(Token::text).forEach(shells::add);
                        default -> {
                            for (Token a : args) {
                                if (!a.literal()) {
                                    throw new PipelineException(where + " creates a user or group from '" + a.text()
                                            + "', which is only known when the script runs; the studio reads maintainer scripts"
                                            + " and does not run them — leave the package out or ask for it to be supported");
                                }
                            }
                            account(t.text(), args.stream().map(Token::text).toList(), where, groups, users, members);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, String> f : sysusers.entrySet()) {
            sysusers(pkg + "'s " + f.getKey(), f.getValue(), groups, users, members);
        }
        return new MaintainerScripts(pkg, List.copyOf(groups), List.copyOf(users), List.copyOf(members),
                List.copyOf(alternatives), List.copyOf(shells));
    }

    /** update-alternatives [--quiet] --install LINK NAME PATH PRIORITY [--slave LINK NAME PATH]… */
    private static java.util.Optional<Alternative> alternative(List<Token> args) {
        int i = 0;
        while (i < args.size() && !args.get(i).text().equals("--install")) {
            i++;
        }
        List<Token> a = i < args.size() ? args.subList(i + 1, args.size()) : List.of();
        if (a.size() < 4 || a.subList(0, 4).stream().anyMatch(x -> !x.literal()) || !a.get(3).text().matches("-?[0-9]+")) {
            return java.util.Optional.empty();
        }
        Link master = new Link(a.get(0).text(), a.get(1).text(), a.get(2).text());
        List<Link> slaves = new ArrayList<>();
        for (int j = 4; j + 3 < a.size() && a.get(j).text().equals("--slave"); j += 4) {
            if (a.get(j + 1).literal() && a.get(j + 2).literal() && a.get(j + 3).literal()) {
                slaves.add(new Link(a.get(j + 1).text(), a.get(j + 2).text(), a.get(j + 3).text()));
            }
        }
        return java.util.Optional.of(new Alternative(master, Integer.parseInt(a.get(3).text()), List.copyOf(slaves)));
    }

    private static final Set<String> ADDUSER_VALUE_OPTIONS = Set.of("--home", "--shell", "--ingroup", "--gid", "--uid",
            "--gecos", "--comment", "--conf", "--firstuid", "--lastuid", "--firstgid", "--lastgid", "--add-extra-groups",
            "--extrausers", "-c");
    private static final Set<String> USERADD_VALUE_OPTIONS = Set.of("-d", "--home-dir", "-s", "--shell", "-g", "--gid",
            "-c", "--comment", "-u", "--uid", "-G", "--groups", "-K", "--key", "-e", "--expiredate", "-f", "--inactive",
            "-k", "--skel", "-p", "--password", "-b", "--base-dir", "-R", "--root", "-P", "--prefix", "-Z", "--selinux-user");

    private static void account(String cmd, List<String> args, String where, List<Group> groups, List<User> users, List<Member> members) {
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        List<String> names = new ArrayList<>();
        boolean adduserStyle = cmd.equals("adduser") || cmd.equals("addgroup");
        Set<String> valued = adduserStyle ? ADDUSER_VALUE_OPTIONS : USERADD_VALUE_OPTIONS;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new PipelineException(where + ": option " + a + " has no value");
                }
                opts.put(a, args.get(++i));
            } else if (a.startsWith("-")) {
                flags.add(a);
            } else {
                names.add(a);
            }
        }
        boolean system = flags.contains("--system") || flags.contains("-r");
        Integer gid = number(first(opts, "--gid", "-g"));
        Integer uid = number(first(opts, "--uid", "-u"));
        switch (cmd) {
            case "addgroup", "groupadd" -> {
                if (names.size() == 2 && cmd.equals("addgroup") && !system) {
                    members.add(new Member(names.get(0), names.get(1)));
                } else if (names.size() == 1) {
                    groups.add(new Group(names.get(0), gid));
                } else {
                    throw new PipelineException(where + ": want one group name, got " + names);
                }
            }
            case "adduser" -> {
                if (names.size() == 2 && !system) {
                    members.add(new Member(names.get(0), names.get(1)));
                } else if (names.size() == 1 && flags.contains("--group") && system && !opts.containsKey("--ingroup")) {
                    users.add(new User(names.get(0), uid, names.get(0), true, opts.getOrDefault("--home", "/nonexistent"),
                            opts.getOrDefault("--shell", "/usr/sbin/nologin"), first(opts, "--gecos", "--comment", "-c")));
                } else if (names.size() == 1 && flags.contains("--group")) {
                    groups.add(new Group(names.get(0), gid));
                } else if (names.size() == 1) {
                    String group = opts.get("--ingroup");
                    users.add(new User(names.get(0), uid, group, false, opts.getOrDefault("--home", system ? "/nonexistent" : "/home/" + names.get(0)),
                            opts.getOrDefault("--shell", system ? "/usr/sbin/nologin" : "/bin/sh"), first(opts, "--gecos", "--comment", "-c")));
                } else {
                    throw new PipelineException(where + ": want one user name, got " + names);
                }
            }
            default -> { // useradd: Debian's login.defs has USERGROUPS_ENAB yes, so a user gets its own group unless -g or -N
                if (names.size() != 1) {
                    throw new PipelineException(where + ": want one user name, got " + names);
                }
                String g = first(opts, "-g", "--gid");
                boolean own = g == null && !flags.contains("-N") && !flags.contains("--no-user-group");
                String group = own ? names.get(0) : g;
                if (g != null && g.matches("[0-9]+")) {
                    group = null;
                }
                users.add(new User(names.get(0), uid, group, own, first(opts, "-d", "--home-dir") != null ? first(opts, "-d", "--home-dir") : "/nonexistent",
                        first(opts, "-s", "--shell") != null ? first(opts, "-s", "--shell") : "/usr/sbin/nologin", first(opts, "-c", "--comment")));
            }
        }
    }

    private static void sysusers(String where, String text, List<Group> groups, List<User> users, List<Member> members) {
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> f = tokens(line).stream().map(Token::text).toList();
            String name = f.size() > 1 ? f.get(1) : null;
            String id = f.size() > 2 ? f.get(2) : "-";
            switch (f.get(0)) {
                case "g" -> groups.add(new Group(name, number(id)));
                case "u", "u!" -> {
                    String uidPart = id.contains(":") ? id.substring(0, id.indexOf(':')) : id;
                    String gidPart = id.contains(":") ? id.substring(id.indexOf(':') + 1) : null;
                    String home = f.size() > 4 && !f.get(4).equals("-") ? f.get(4) : "/";
                    String shell = f.size() > 5 && !f.get(5).equals("-") ? f.get(5) : "/usr/sbin/nologin";
                    String gecos = f.size() > 3 && !f.get(3).equals("-") ? f.get(3) : null;
                    boolean own = gidPart == null || gidPart.matches("[0-9]+");
                    users.add(new User(name, number(uidPart), own ? name : gidPart, own, home, shell, gecos));
                    if (own && gidPart != null) {
                        groups.add(new Group(name, number(gidPart)));
                    }
                }
                case "m" -> members.add(new Member(name, id));
                case "r" -> {
                }
                default -> throw new PipelineException(where + ": unknown sysusers.d line '" + line + "'");
            }
        }
    }

    private static String first(Map<String, String> opts, String... keys) {
        for (String k : keys) {
            if (opts.containsKey(k)) {
                return opts.get(k);
            }
        }
        return null;
    }

    private static Integer number(String s) {
        return s != null && s.matches("[0-9]+") ? Integer.valueOf(s) : null;
    }

    /** Shell words of one line: quotes removed, operators split off, comments dropped; literal = no $ or ` in it. */
    private static List<Token> tokens(String line) {
        List<Token> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        boolean literal = true;
        char q = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q != 0) {
                if (c == q) {
                    q = 0;
                } else {
                    if (q == '"' && (c == '$' || c == '`')) {
                        literal = false;
                    }
                    w.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                q = c;
                inWord = true;
                quoted = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c) || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
                if (inWord) {
                    out.add(new Token(w.toString(), quoted, literal));
                    w.setLength(0);
                    inWord = false;
                    quoted = false;
                    literal = true;
                }
                if (!Character.isWhitespace(c)) {
                    String op = String.valueOf(c);
                    if ((c == '|' || c == '&') && i + 1 < line.length() && line.charAt(i + 1) == c) {
                        op += c;
                        i++;
                    } else if (c == '&' && !out.isEmpty() && out.get(out.size() - 1).text().matches("[0-9]*>")) {
                        // 2>&1: part of a redirection
                        Token prev = out.remove(out.size() - 1);
                        w.append(prev.text()).append('&');
                        inWord = true;
                        continue;
                    }
                    out.add(new Token(op, false, true));
                }
            } else {
                if (c == '$' || c == '`') {
                    literal = false;
                }
                if (c == '\\' && i + 1 < line.length()) {
                    c = line.charAt(++i);
                }
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(new Token(w.toString(), quoted, literal));
        }
        return out;
    }
}
