package dev.routerstudio.node;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@Tag(name = "workers", description = "The studio nodes that run builds")
public class WorkersApiController {

    private final WorkerNodes nodes;

    WorkersApiController(WorkerNodes nodes) {
        this.nodes = nodes;
    }

    @GetMapping("/api/v1/workers")
    @Operation(summary = "The nodes that run builds, with their slots, load and last heartbeat",
            description = "A node is alive while its heartbeats (every studio.node.heartbeat) keep coming; after "
                    + "studio.node.takeover-after without one, its running builds are queued again once, or failed as interrupted.")
    public List<WorkerNodes.View> workers() {
        return nodes.list();
    }
}
