package dev.routerstudio.build;

import dev.routerstudio.profile.ProfilePageController;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.HandlerMapping;

import java.util.List;
import java.util.Map;

/**
 * Adds a profile's builds to the profile pages. The build feature decorates those pages this way
 * so the profile package does not depend on builds.
 */
@ControllerAdvice(assignableTypes = ProfilePageController.class)
public class ProfileBuildsAdvice {

    private final BuildService builds;

    public ProfileBuildsAdvice(BuildService builds) {
        this.builds = builds;
    }

    @ModelAttribute
    void profileBuilds(HttpServletRequest request, Model model) {
        @SuppressWarnings("unchecked")
        Map<String, String> vars = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String name = vars == null ? null : vars.get("name");
        if (name != null && request.getMethod().equals("GET")) {
            List<BuildView> list = builds.forProfile(name).stream().limit(20)
                    .map(b -> BuildView.of(b, builds.queuePosition(b), builds.progress(b.getId()).orElse(null), null, false))
                    .toList();
            model.addAttribute("builds", list);
        }
    }
}
