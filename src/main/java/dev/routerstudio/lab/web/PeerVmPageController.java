package dev.routerstudio.lab.web;

import dev.routerstudio.lab.PeerVm;
import dev.routerstudio.lab.PeerVmStore;
import dev.routerstudio.pipeline.TargetSpec;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The peers page: your uploaded peer VMs, one form to upload another, and a delete button each. */
@Controller
@dev.routerstudio.web.StudioPage
public class PeerVmPageController {

    private final PeerVms peers;

    public PeerVmPageController(PeerVms peers) {
        this.peers = peers;
    }

    @GetMapping("/peers")
    String list(Model model) {
        return page(model, new Form(null, null, "x86_64", null, null, null, null, null, null, false, false), Map.of());
    }

    /** What the form sends; empty fields are the descriptor's defaults. */
    record Form(String name, String description, String arch, String memoryMb, String append, String accessNic, String ready,
                String readySeconds, String consoleLines, Boolean world, Boolean ipv6) {

        PeerVm.Descriptor descriptor(Map<String, String> errors) {
            return new PeerVm.Descriptor(blank(name), blank(description), blank(arch), number("memoryMb", memoryMb, errors),
                    blank(append), number("accessNic", accessNic, errors), ready, number("readySeconds", readySeconds, errors),
                    consoleLines == null || consoleLines.isBlank() ? List.of()
                            : Arrays.stream(consoleLines.split("\\R")).filter(l -> !l.isBlank()).toList(),
                    Boolean.TRUE.equals(world), Boolean.TRUE.equals(ipv6));
        }

        private static String blank(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }

        private static Integer number(String field, String s, Map<String, String> errors) {
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                errors.put(field, "must be a whole number");
                return null;
            }
        }
    }

    @PostMapping("/peers")
    String upload(Form form, @RequestParam(required = false) MultipartFile disk, @RequestParam(required = false) MultipartFile kernel,
                  @RequestParam(required = false) MultipartFile initrd, Model model, RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        PeerVm.Descriptor d = form.descriptor(errors);
        try {
            if (errors.isEmpty()) {
                PeerVm vm = peers.add(d, disk, kernel, initrd);
                redirect.addFlashAttribute("notice", "Peer VM " + vm.name() + " uploaded: boot a build's lab against it from the build's page.");
                return "redirect:/peers";
            }
        } catch (PeerVmStore.PeerVmException e) {
            e.violations().forEach(v -> errors.putIfAbsent(v.field().replaceAll("\\[\\d+]$", ""), v.message()));
        }
        model.addAttribute("problem", "The peer VM was not stored: " + errors.size() + (errors.size() == 1 ? " field needs" : " fields need")
                + " a change; the files need choosing again.");
        return page(model, form, errors);
    }

    @PostMapping("/peers/{name}/delete")
    String delete(@PathVariable String name, RedirectAttributes redirect) {
        if (peers.store().delete(name)) {
            redirect.addFlashAttribute("notice", "Peer VM " + name + " deleted.");
        } else {
            redirect.addFlashAttribute("problem", "There is no peer VM " + name + ".");
        }
        return "redirect:/peers";
    }

    private String page(Model model, Form form, Map<String, String> errors) {
        model.addAttribute("peers", peers.store().list().stream().map(PeerVm::view).toList());
        model.addAttribute("arches", TargetSpec.peerMachines().keySet());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return "peers/list";
    }
}
