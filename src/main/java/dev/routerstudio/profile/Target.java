package dev.routerstudio.profile;

/** Hardware a profile is built for. The pipeline keys kernel, architecture and QEMU machine on it. */
public enum Target {
    MALTA_MIPSEL("malta-mipsel", "mipsel", "QEMU Malta, MIPS 4Kc little-endian");

    private final String id;
    private final String debianArch;
    private final String label;

    Target(String id, String debianArch, String label) {
        this.id = id;
        this.debianArch = debianArch;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String debianArch() {
        return debianArch;
    }

    public String label() {
        return label;
    }

    public static Target fromId(String id) {
        for (Target t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }
}
