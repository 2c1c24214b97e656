package dev.routerstudio.lab.web;

import dev.routerstudio.lab.PeerVm;
import dev.routerstudio.lab.PeerVmStore;
import dev.routerstudio.profile.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** The page's and the API's way into the peer VM store: multipart parts in, a stored peer (or every reason why not) out. */
@Service
public class PeerVms {

    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final PeerVmStore store;

    public PeerVms(PeerVmStore store) {
        this.store = store;
    }

    public PeerVmStore store() {
        return store;
    }

    /** A descriptor from its JSON, or a 400 that says what in it is wrong. */
    public static PeerVm.Descriptor descriptor(String json) {
        try {
            PeerVm.Descriptor d = JSON.readValue(json == null ? "" : json, PeerVm.Descriptor.class);
            if (d == null) {
                throw new PeerVmStore.PeerVmException(HttpStatus.BAD_REQUEST, "Invalid peer VM",
                        List.of(new Violation("descriptor", "is empty; send a JSON object (name, arch, ready, …)")));
            }
            return d;
        } catch (JacksonException e) {
            throw new PeerVmStore.PeerVmException(HttpStatus.BAD_REQUEST, "Invalid peer VM",
                    List.of(new Violation("descriptor", "is not a descriptor object: " + e.getOriginalMessage())));
        }
    }

    /** Stores the peer; an empty file part counts as not sent. */
    public PeerVm add(PeerVm.Descriptor d, MultipartFile disk, MultipartFile kernel, MultipartFile initrd) {
        return store.add(d, upload(disk), upload(kernel), upload(initrd));
    }

    private static PeerVmStore.Upload upload(MultipartFile part) {
        return part == null || part.isEmpty() ? null : part::transferTo;
    }
}
