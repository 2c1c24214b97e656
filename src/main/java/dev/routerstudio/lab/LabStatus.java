package dev.routerstudio.lab;

import java.time.Instant;
import java.util.List;

/** A lab as the page and GET /api/v1/labs/{id} show it; worker: the studio node it runs on (null outside a studio). */
public record LabStatus(String id, String buildId, String wanMode, Lab.State state, String error, Instant startedAt,
                        List<NodeStatus> nodes, List<CheckResult> checks, String worker) {

    /**
     * firstOutputSeconds: from the lab's start to the node's first console output.
     * consoleLastId: the newest console event id (a viewer that has it is up to date).
     * reboots: how often the guest rebooted since the lab last powered it on (each reboot is a new QEMU, a new pid).
     */
    public record NodeStatus(String name, String role, QemuMachine.State state, Long pid, Integer exitCode,
                             long consoleLastId, Double firstOutputSeconds, int reboots) {
    }

    public boolean checksDone() {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.PENDING || c.status() == CheckStatus.RUNNING);
    }

    public CheckResult check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check " + name));
    }
}
