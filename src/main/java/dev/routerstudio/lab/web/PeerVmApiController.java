package dev.routerstudio.lab.web;

import dev.routerstudio.lab.PeerVm;
import dev.routerstudio.lab.PeerVmStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.net.URI;
import java.util.List;

/** Your own ISP equipment as a lab's peer: upload a VM image with how to boot it, list, describe, delete. */
@RestController
@Tag(name = "Peer VMs", description = "Your own ISP equipment (accel-ppp, a vendor BNG, an OpenWrt VM) as the ISP of a lab")
public class PeerVmApiController {

    private final PeerVms peers;

    public PeerVmApiController(PeerVms peers) {
        this.peers = peers;
    }

    @PostMapping(path = "/api/v1/peers", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a peer VM",
            description = "Multipart: `descriptor` (JSON: name, arch x86_64|mipsel, memoryMb, append, accessNic, ready, readySeconds, "
                    + "consoleLines, world, ipv6, description), `disk` (qcow2 or raw), and for a kernel boot `kernel` and optionally `initrd` "
                    + "(without a kernel, an x86_64 VM boots its disk). The files are streamed to the data dir (together at most "
                    + "studio.peers.max-size, default 2GB) and checked: a disk image, a kernel for the stated CPU. 201 with the peer; "
                    + "400 naming every field that is wrong; 409 if the name is taken. Boot a lab against it with "
                    + "POST /api/v1/builds/{id}/labs {\"peer\": NAME}. Needs the BUILDER role.")
    @ApiResponse(responseCode = "201", description = "stored")
    @ApiResponse(responseCode = "400", description = "not a usable peer VM; errors name each field",
            content = @Content(mediaType = "application/problem+json"))
    public ResponseEntity<PeerVm.View> upload(
            @Parameter(description = "the descriptor as JSON") @RequestPart("descriptor") String descriptor,
            @Parameter(description = "the disk image, qcow2 or raw") @RequestPart(name = "disk", required = false) MultipartFile disk,
            @Parameter(description = "its kernel (a kernel boot)") @RequestPart(name = "kernel", required = false) MultipartFile kernel,
            @Parameter(description = "its initrd (with a kernel)") @RequestPart(name = "initrd", required = false) MultipartFile initrd) {
        PeerVm vm = peers.add(PeerVms.descriptor(descriptor), disk, kernel, initrd);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/peers/" + vm.name())).body(vm.view());
    }

    @GetMapping("/api/v1/peers")
    @Operation(summary = "The uploaded peer VMs, by name")
    public List<PeerVm.View> all() {
        return peers.store().list().stream().map(PeerVm::view).toList();
    }

    @GetMapping("/api/v1/peers/{name}")
    @Operation(summary = "One peer VM: its descriptor and what its files were found to be")
    public PeerVm.View get(@PathVariable String name) {
        return peers.store().get(name).view();
    }

    @DeleteMapping("/api/v1/peers/{name}")
    @Operation(summary = "Delete a peer VM (a lab already running against it keeps going)")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "404", description = "no such peer VM", content = @Content(mediaType = "application/problem+json"))
    public ResponseEntity<Void> delete(@PathVariable String name) {
        peers.store().get(name);
        peers.store().delete(name);
        return ResponseEntity.noContent().build();
    }
}
