package dev.routerstudio.lab.link;

import java.util.List;

/**
 * A link as GET /api/v1/labs/{id}/links shows it. state: "up" or "down"; frames/bytes: every
 * frame either end sent (captured, whatever then happened to it); dropped: those not passed on.
 */
public record LinkStatus(String name, String state, Impairment impairment, List<End> ends, List<Direction> directions,
                         long frames, long bytes, long dropped, Capture capture) {

    /** One side: the node and whether its QEMU is connected (connections counts reconnects too). */
    public record End(String node, boolean connected, long connections) {
    }

    /**
     * One direction's counters. delivered: written to the other side; down/lost: dropped by the
     * fault; noPeer: nobody connected on the other side; queueFull: too many frames waiting on a delay.
     */
    public record Direction(String from, String to, long frames, long bytes, long delivered, long down, long lost, long noPeer,
                            long queueFull) {
    }

    /** The capture as a download gets it now: frames held, file size, its bound, frames dropped for room. */
    public record Capture(int frames, long bytes, long limitBytes, long evicted) {
    }
}
