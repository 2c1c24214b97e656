package dev.routerstudio.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The root filesystem as a sorted list of entries. Adding a path adds its missing parent
 * directories (0755, root). A later add replaces an earlier one only when asked to.
 */
public final class RootfsLayout {

    private final TreeMap<String, FsEntry> entries = new TreeMap<>();

    public RootfsLayout() {
        entries.put("/", FsEntry.dir("/", 0755));
    }

    public void put(FsEntry e) {
        addParents(e.path());
        entries.put(e.path(), e);
    }

    public boolean putIfAbsent(FsEntry e) {
        if (entries.containsKey(e.path())) {
            return false;
        }
        put(e);
        return true;
    }

    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    public FsEntry get(String path) {
        return entries.get(path);
    }

    public Collection<FsEntry> entries() {
        return entries.values();
    }

    public List<FsEntry> files() {
        List<FsEntry> out = new ArrayList<>();
        for (FsEntry e : entries.values()) {
            if (e.kind() == FsEntry.Kind.FILE) {
                out.add(e);
            }
        }
        return out;
    }

    private void addParents(String path) {
        int i = path.lastIndexOf('/');
        if (i <= 0) {
            return;
        }
        String parent = path.substring(0, i);
        if (!entries.containsKey(parent)) {
            addParents(parent);
            entries.put(parent, FsEntry.dir(parent, 0755));
        }
    }
}
