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

    public LabPageController(Labs labs) {
        this.labs = labs;
    }

    @PostMapping("/builds/{id}/lab")
    String boot(@PathVariable long id, @RequestParam(defaultValue = "false") boolean shutdownCheck,
                @RequestParam(defaultValue = "false") boolean quick, RedirectAttributes redirect) {
        try {
            return "redirect:/labs/" + labs.boot(id, shutdownCheck, quick);
        } catch (LabRefusedException | LabException e) {
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

    @PostMapping("/labs/{id}/stop")
    String stop(@PathVariable String id, RedirectAttributes redirect) {
        labs.stop(id);
        redirect.addFlashAttribute("notice", "Stopped lab " + id + ".");
        return "redirect:/labs";
    }
}
