package dev.routerstudio.build;

import dev.routerstudio.pipeline.MinisignKey;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The build page: progress while it runs, then what it made. */
@Controller
@dev.routerstudio.web.StudioPage
public class BuildPageController {

    private final BuildService builds;
    private final BuildRetention retention;
    private final MinisignKey signingKey;

    BuildPageController(BuildService builds, BuildRetention retention, MinisignKey studioSigningKey) {
        this.builds = builds;
        this.retention = retention;
        this.signingKey = studioSigningKey;
    }

    @PostMapping("/profiles/{name}/build")
    String build(@PathVariable String name, Authentication who, RedirectAttributes redirect) {
        try {
            BuildService.Submission s = builds.submit(name, who.getName());
            if (s.cacheHit()) {
                redirect.addFlashAttribute("notice", "Nothing changed since build " + s.build().getId() + ": here it is.");
            }
            return "redirect:/builds/" + s.build().getId();
        } catch (BuildRefusedException | BuildQueueFullException | InsufficientSpaceException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/profiles/" + name;
        }
    }

    @PostMapping("/builds/{id}/pin")
    String pin(@PathVariable long id, @RequestParam(defaultValue = "true") boolean pinned, RedirectAttributes redirect) {
        retention.pin(id, pinned);
        redirect.addFlashAttribute("notice", pinned ? "Pinned: this build is kept." : "Unpinned: retention may remove this build.");
        return "redirect:/builds/" + id;
    }

    @PostMapping("/builds/{id}/cancel")
    String cancel(@PathVariable long id, RedirectAttributes redirect) {
        Build build = builds.cancel(id);
        redirect.addFlashAttribute("notice", "Cancelling build " + build.getId() + ".");
        return "redirect:/builds/" + id;
    }

    @GetMapping("/builds/{id}")
    String show(@PathVariable long id, Model model) {
        Build build = builds.get(id);
        BuildReport report = builds.report(build);
        model.addAttribute("build", build);
        model.addAttribute("view", BuildView.of(build, builds.queuePosition(build), builds.progress(id).orElse(null), report, false));
        model.addAttribute("report", report);
        if (report != null) {
            model.addAttribute("graph", BuildPictures.graph(report));
            model.addAttribute("packageBars", BuildPictures.bars(report.sizeByPackage(), 15, 420));
            model.addAttribute("fileBars", BuildPictures.bars(report.largestFiles(), 12, 420));
            model.addAttribute("rootfsSize", BuildPictures.human(report.rootfsSize()));
            // The firewall's generated ruleset, as the image loads it (only builds with the firewall have one).
            builds.artifact(build, dev.routerstudio.pipeline.FirmwarePipeline.RULESET).ifPresent(rules -> {
                try {
                    model.addAttribute("ruleset", Files.readString(rules));
                } catch (IOException e) {
                    model.addAttribute("ruleset", null);
                }
            });
            builds.artifact(build, "firmware.tar" + MinisignKey.SIGNATURE_SUFFIX).ifPresent(sig -> {
                model.addAttribute("signingKey", signingKey);
                model.addAttribute("signedBy", signedBy(sig));
                model.addAttribute("bundleName", BuildApiController.downloadName(build, "firmware.tar"));
            });
        }
        return "builds/show";
    }

    /** The key id firmware.tar.minisig names: an older build may carry a key the studio no longer has. */
    private static String signedBy(Path minisig) {
        try {
            return MinisignKey.keyIdOf(Files.readString(minisig));
        } catch (IOException e) {
            return null;
        }
    }
}
