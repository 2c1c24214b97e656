package dev.routerstudio.lab.web;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.TestProfiles;
import dev.routerstudio.profile.Violation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Which checks leaveOut means, and why one cannot be left out. */
class LabOptionsTest {

    static final LabDescription PPPOE = LabDescription.of(TestProfiles.load("pppoe"));

    static LabOptions leaving(String... names) {
        return new LabOptions(null, Arrays.asList(names), null);
    }

    @Test
    void aFamilyNameLeavesOutItsWanModesCheck() {
        assertThat(PPPOE.checks()).contains("link-loss-ppp", "persist");
        assertThat(leaving("link-loss", "lossy-line", "isp-restart", "persist").leftOut(PPPOE)).containsExactly("link-loss-ppp", "lossy-line", "isp-restart", "persist");
        assertThat(leaving("persist", "persist").leftOut(PPPOE)).containsExactly("persist");
        assertThat(LabOptions.NONE.leftOut(PPPOE)).isEmpty();
        // "link" is a check of its own, not the family of link-loss
        assertThat(leaving("link-loss").leftOut(PPPOE)).doesNotContain("link");
        // ... and "link" is that check alone, as "restart" is not restart-ipv6
        assertThat(leaving("link", "restart-ipv6").leftOut(PPPOE)).containsExactly("link", "restart-ipv6");
    }

    /**
     * The page's quick keeps the checks that the router connects and leaves out the rest the lab
     * has; a lab without some (this static one: no line faults, no firewall) is no error.
     */
    @Test
    void quickKeepsWhatProvesTheRouterConnectsAndLeavesOutTheRest() {
        List<String> connects = List.of("boot", "link", "wan-up-ppp", "routes", "dns", "readiness", "lan-lease", "lan-nat", "ipv6-wan",
                "ipv6-lan", "restart", "restart-ipv6");
        assertThat(PPPOE.checks()).containsAll(connects).contains("path", "wan-closed", "no-forward-in");
        assertThat(LabOptions.NONE.quick(PPPOE).leftOut(PPPOE)).containsExactly("path", "wan-closed", "no-forward-in", "link-loss-ppp",
                "lossy-line", "isp-restart", "persist").doesNotContainAnyElementsOf(connects);
        LabDescription staticLab = LabDescription.of(TestProfiles.load("static"));
        assertThat(staticLab.checks()).doesNotContain("lossy-line", "isp-restart", "wan-closed").contains("persist", "path");
        assertThat(LabOptions.NONE.quick(staticLab).leftOut(staticLab)).containsExactly("path", "persist");
        assertThat(leaving("persist").quick(PPPOE).leftOut(PPPOE)).containsOnlyOnce("persist").contains("wan-closed");
    }

    @Test
    void unknownChecksTheShutdownAndNeededOnesAreRefusedField() {
        List<Violation> v = catchThrowableOfType(LabOptionsException.class,
                () -> leaving("persist", "no-such\ncheck", null, "shutdown").leftOut(PPPOE)).violations();
        assertThat(v).extracting(Violation::field).containsExactly("leaveOut[1]", "leaveOut[2]", "leaveOut[3]");
        assertThat(v.get(0).message()).startsWith("this lab has no such check").contains("boot, link").doesNotContain("no-such");
        assertThat(v.get(2).message()).contains("shutdownCheck=false");
        // every other check needs the WAN up: leaving it out alone would fail them all as "not run"
        LabOptionsException needed = catchThrowableOfType(LabOptionsException.class, () -> leaving("wan-up").leftOut(PPPOE));
        assertThat(needed.violations()).extracting(Violation::message).contains("routes needs the wan-up check: leave routes out too, or keep wan-up");
        // restart-ipv6 comes after restart and needs it: "restart" alone cannot go either
        assertThat(catchThrowableOfType(LabOptionsException.class, () -> leaving("restart").leftOut(PPPOE)).violations())
                .extracting(Violation::message).containsExactly("restart-ipv6 needs the restart check: leave restart-ipv6 out too, or keep restart");
        assertThat(leaving("restart", "restart-ipv6").leftOut(PPPOE)).containsExactly("restart", "restart-ipv6");
    }
}
