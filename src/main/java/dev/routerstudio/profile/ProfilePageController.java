package dev.routerstudio.profile;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The profile pages: list, view, create, edit, clone, delete, import and export. Thin: the service decides. */
@Controller
@dev.routerstudio.web.StudioPage
public class ProfilePageController {

    private static final String FORM = "profiles/form";

    private final ProfileService profiles;

    public ProfilePageController(ProfileService profiles) {
        this.profiles = profiles;
    }

    @ModelAttribute
    void catalogues(Model model) {
        model.addAttribute("wanModes", WanModes.all());
        model.addAttribute("wanBoxes", WanModes.formBoxes());
        model.addAttribute("wanAdvancedModes", WanModes.modesWithAdvanced());
        model.addAttribute("serviceKinds", ServiceCatalog.optional());
        model.addAttribute("openableServices", ServiceCatalog.openable());
        model.addAttribute("targets", dev.routerstudio.pipeline.TargetSpec.all());
    }

    @GetMapping("/")
    String home() {
        return "redirect:/profiles";
    }

    @GetMapping("/profiles")
    String list(Model model) {
        model.addAttribute("profiles", profiles.list());
        return "profiles/list";
    }

    @GetMapping("/profiles/{name}")
    String show(@PathVariable String name, Model model) {
        Profile profile = profiles.get(name);
        model.addAttribute("profile", profile);
        model.addAttribute("spec", profile.spec());
        model.addAttribute("wanMode", WanModes.byId(profile.spec().wan().mode()));
        model.addAttribute("wanFacts", WanModes.facts(profile.spec().wan()));
        return "profiles/show";
    }

    @GetMapping("/profiles/new")
    String newForm(Model model) {
        ProfileForm form = new ProfileForm();
        form.getInterfaces().getWan().setDevice("eth0");
        form.getInterfaces().getLan().setDevice("eth1");
        form.getInterfaces().getLan().setAddress("192.168.1.1/24");
        // A new router starts with its WAN closed: the firewall is ticked (the API adds nothing on its own).
        form.getServices().add("firewall");
        form.getFiles().add(new ProfileForm.FileRow());
        return showForm(model, form, Mode.CREATE, null);
    }

    @PostMapping("/profiles/new")
    String create(@ModelAttribute("form") ProfileForm form, BindingResult result, Model model, RedirectAttributes redirect) {
        return save(form, result, model, redirect, Mode.CREATE, null);
    }

    @GetMapping("/profiles/{name}/edit")
    String editForm(@PathVariable String name, Model model) {
        Profile profile = profiles.get(name);
        ProfileForm form = ProfileForm.from(profile.spec());
        form.setVersion(profile.getVersion());
        form.getFiles().add(new ProfileForm.FileRow());
        return showForm(model, form, Mode.EDIT, profile);
    }

    @PostMapping("/profiles/{name}/edit")
    String update(@PathVariable String name, @ModelAttribute("form") ProfileForm form, BindingResult result, Model model,
                  RedirectAttributes redirect) {
        return save(form, result, model, redirect, Mode.EDIT, profiles.get(name));
    }

    @GetMapping("/profiles/{name}/clone")
    String cloneForm(@PathVariable String name, Model model) {
        Profile source = profiles.get(name);
        ProfileForm form = ProfileForm.from(source.spec());
        form.setName(freeCopyName(name));
        form.getFiles().add(new ProfileForm.FileRow());
        return showForm(model, form, Mode.CLONE, source);
    }

    @PostMapping("/profiles/{name}/clone")
    String cloneSave(@PathVariable String name, @ModelAttribute("form") ProfileForm form, BindingResult result, Model model,
                     RedirectAttributes redirect) {
        return save(form, result, model, redirect, Mode.CLONE, profiles.get(name));
    }

    @PostMapping("/profiles/{name}/delete")
    String delete(@PathVariable String name, RedirectAttributes redirect) {
        profiles.delete(name);
        redirect.addFlashAttribute("notice", "Deleted profile " + name + ".");
        return "redirect:/profiles";
    }

    @GetMapping("/profiles/{name}/export")
    ResponseEntity<byte[]> export(@PathVariable String name) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name + ".json").build().toString())
                .body(profiles.export(name, false).getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/profiles/import")
    String importForm() {
        return "profiles/import";
    }

    @PostMapping("/profiles/import")
    String importSave(@RequestParam(name = "json", required = false) String json,
                      @RequestParam(name = "file", required = false) MultipartFile file,
                      Model model, RedirectAttributes redirect) throws IOException {
        String text = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8) : json;
        try {
            Profile profile = profiles.importProfile(ProfileJson.read(text));
            redirect.addFlashAttribute("notice", "Imported profile " + profile.getName()
                    + (profile.isPasswordSet() || !profile.spec().wan().hasPassword() ? "." : ". Set its WAN password before building."));
            return "redirect:/profiles/" + profile.getName();
        } catch (ProfileValidationException e) {
            model.addAttribute("json", text);
            model.addAttribute("violations", e.violations());
        } catch (ProfileConflictException e) {
            model.addAttribute("json", text);
            model.addAttribute("violations", List.of(new Violation(e.field(), e.getMessage())));
        }
        return "profiles/import";
    }

    enum Mode { CREATE, EDIT, CLONE }

    private String save(ProfileForm form, BindingResult result, Model model, RedirectAttributes redirect, Mode mode, Profile existing) {
        ProfileForm.Parsed parsed = form.toSpec();
        List<Violation> violations = new java.util.ArrayList<>(parsed.violations());
        Profile saved = null;
        if (!violations.isEmpty()) {
            // show every problem at once: also what the validator says about the fields that did parse
            java.util.Set<String> reported = new java.util.HashSet<>();
            violations.forEach(v -> reported.add(v.field()));
            ProfileValidator.validate(parsed.spec(), ProfileValidator.Secrets.OPTIONAL).stream()
                    .filter(v -> !reported.contains(v.field())).forEach(violations::add);
        } else if (!result.hasErrors()) {
            try {
                saved = switch (mode) {
                    case CREATE -> profiles.create(parsed.spec());
                    case EDIT -> profiles.update(existing.getName(), parsed.spec().withName(existing.getName()), form.getVersion());
                    case CLONE -> profiles.cloneProfile(existing.getName(), parsed.spec());
                };
            } catch (ProfileValidationException e) {
                violations.addAll(e.violations());
            } catch (ProfileConflictException e) {
                violations.add(new Violation(e.field(), e.getMessage()));
            }
        }
        if (saved != null) {
            redirect.addFlashAttribute("notice", switch (mode) {
                case CREATE -> "Created profile " + saved.getName() + ".";
                case EDIT -> "Saved profile " + saved.getName() + " (version " + saved.getVersion() + ").";
                case CLONE -> "Cloned " + existing.getName() + " as " + saved.getName() + ".";
            });
            return "redirect:/profiles/" + saved.getName();
        }
        for (Violation v : violations) {
            String field = ProfileForm.formField(v.field(), parsed);
            if (field.isEmpty() || "version".equals(field) || !isFormField(result, field)) {
                result.reject("invalid", (field.isEmpty() || "version".equals(field) ? "" : v.field() + " ") + v.message());
            } else {
                result.rejectValue(field, "invalid", v.message());
            }
        }
        if (form.getFiles().isEmpty()) {
            form.getFiles().add(new ProfileForm.FileRow());
        }
        return showForm(model, form, mode, existing);
    }

    private static boolean isFormField(BindingResult result, String field) {
        try {
            result.getFieldType(field);
            return result.getFieldType(field) != null || field.startsWith("files");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String showForm(Model model, ProfileForm form, Mode mode, Profile existing) {
        // One empty port-forward row to fill in (more with "Add a port forward").
        if (form.getForwards().isEmpty()) {
            form.getForwards().add(new ProfileForm.ForwardRow());
        }
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", form);
        }
        model.addAttribute("mode", mode.name().toLowerCase());
        model.addAttribute("existing", existing);
        model.addAttribute("passwordSet", existing != null && existing.isPasswordSet());
        model.addAttribute("action", switch (mode) {
            case CREATE -> "/profiles/new";
            case EDIT -> "/profiles/" + existing.getName() + "/edit";
            case CLONE -> "/profiles/" + existing.getName() + "/clone";
        });
        return FORM;
    }

    private String freeCopyName(String name) {
        String base = name.length() > 55 ? name.substring(0, 55) : name;
        for (int i = 1; i < 100; i++) {
            String candidate = base + (i == 1 ? "-copy" : "-copy" + i);
            if (!profiles.exists(candidate)) {
                return candidate;
            }
        }
        return base + "-copy";
    }
}
