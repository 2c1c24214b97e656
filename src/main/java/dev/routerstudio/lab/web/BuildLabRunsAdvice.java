package dev.routerstudio.lab.web;

import dev.routerstudio.build.BuildPageController;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.HandlerMapping;

import java.util.List;
import java.util.Map;

/** A build's page lists its past labs with their verdicts and the peer VMs a lab can use (the build package knows nothing of labs). */
@ControllerAdvice(assignableTypes = BuildPageController.class)
class BuildLabRunsAdvice {

    private final LabEvidence evidence;
    private final dev.routerstudio.lab.PeerVmStore peers;

    BuildLabRunsAdvice(LabEvidence evidence, dev.routerstudio.lab.PeerVmStore peers) {
        this.evidence = evidence;
        this.peers = peers;
    }

    /** The peer VMs a lab of the build can boot against instead of the built-in ISP. */
    @ModelAttribute("peerVms")
    List<dev.routerstudio.lab.PeerVm.View> peerVms() {
        return peers.list().stream().map(dev.routerstudio.lab.PeerVm::view).toList();
    }

    @ModelAttribute("labRuns")
    List<LabRun> labRuns(HttpServletRequest request) {
        Object vars = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (vars instanceof Map<?, ?> m && m.get("id") instanceof String id && id.matches("\\d{1,18}")) {
            return evidence.forBuild(Long.parseLong(id));
        }
        return List.of();
    }
}
