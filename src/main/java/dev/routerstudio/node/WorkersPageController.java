package dev.routerstudio.node;

import dev.routerstudio.web.StudioPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The admin page listing the nodes that run builds. */
@Controller
@StudioPage
public class WorkersPageController {

    private final WorkerNodes nodes;

    WorkersPageController(WorkerNodes nodes) {
        this.nodes = nodes;
    }

    @GetMapping("/admin/workers")
    String page(Model model) {
        model.addAttribute("workers", nodes.list());
        model.addAttribute("self", nodes.self());
        return "admin/workers";
    }
}
