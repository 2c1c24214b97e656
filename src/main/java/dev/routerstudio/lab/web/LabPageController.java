package dev.routerstudio.lab.web;

import dev.routerstudio.lab.LabException;
import dev.routerstudio.lab.LabStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The lab page: live consoles in xterm.js, the checks beside them. */
@Controller
@dev.routerstudio.web.StudioPage
public class LabPageController {

    private final Labs labs;
    private final dev.routerstudio.build.BuildService builds;

    public LabPageController(Labs labs, dev.routerstudio.build.BuildService builds) {
        this.labs = labs;
        this.builds = builds;
    }

    @PostMapping("/builds/{id}/lab")
    String boot(@PathVariable long id, @RequestParam(defaultValue = "false") boolean shutdownCheck,
                @RequestParam(defaultValue = "false") boolean quick, @RequestParam(required = false) String peer,
                RedirectAttributes redirect) {
        try {
            return "redirect:/labs/" + labs.boot(id, shutdownCheck, peer == null || peer.isBlank() ? null : peer, quick);
        } catch (LabRefusedException | LabException | LabOptionsException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/builds/" + id;
        }
    }

    /** A firmware.tar built elsewhere, booted as its lab.json says; a bad bundle comes back with the reason. */
    @PostMapping("/labs/upload")
    String upload(@RequestParam(name = "firmware", required = false) org.springframework.web.multipart.MultipartFile firmware,
                  RedirectAttributes redirect) {
        try {
            return "redirect:/labs/" + labs.bootUpload(firmware, false);
        } catch (BundleRejectedException | LabRefusedException | LabException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/labs";
        }
    }

    @GetMapping("/labs")
    String list(Model model) {
        model.addAttribute("labs", labs.all());
        return "labs/list";
    }

    @GetMapping("/labs/{id}")
    String show(@PathVariable String id, Model model) {
        LabStatus status = labs.status(id);
        model.addAttribute("lab", status);
        // what the router can be upgraded to: the other succeeded builds (one that does not fit the lab is refused with why)
        model.addAttribute("upgrades", builds.recentSucceeded().stream().filter(b -> !b.getId().toString().equals(status.buildId())).toList());
        return "labs/show";
    }

    @PostMapping("/labs/{id}/factory-reset")
    String factoryReset(@PathVariable String id, RedirectAttributes redirect) {
        try {
            labs.factoryReset(id);
            redirect.addFlashAttribute("notice", "Factory reset: the router wipes its writable store and reboots; the checks run again.");
        } catch (LabException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/labs/" + id;
    }

    @PostMapping("/labs/{id}/upgrade")
    String upgrade(@PathVariable String id, @RequestParam(required = false) Long buildId, RedirectAttributes redirect) {
        if (buildId == null) {
            redirect.addFlashAttribute("problem", "Choose the build to upgrade the router to.");
            return "redirect:/labs/" + id;
        }
        try {
            labs.upgrade(id, buildId);
            redirect.addFlashAttribute("notice", "Upgrade to build #" + buildId + ": the router powers off and boots the new build on its "
                    + "writable store; the upgrade check and the new build's checks follow.");
        } catch (LabException | LabRefusedException | dev.routerstudio.build.BuildNotFoundException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/labs/" + id;
    }

    @PostMapping("/labs/{id}/stop")
    String stop(@PathVariable String id, RedirectAttributes redirect) {
        labs.stop(id);
        redirect.addFlashAttribute("notice", "Stopped lab " + id + ".");
        return "redirect:/labs";
    }
}
