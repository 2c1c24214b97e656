package dev.routerstudio.profile;

import dev.routerstudio.pipeline.TargetSpec;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folders under image-pipeline/ are the lists: every WAN mode folder has its record and every
 * record its folder; services and targets are found by their folders alone.
 */
class CatalogueTest {

    static Set<String> folders(String under, String file) throws Exception {
        Set<String> out = new TreeSet<>();
        for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:image-pipeline/" + under + "/*/" + file)) {
            String url = r.getURL().toString();
            String dir = url.substring(0, url.lastIndexOf('/'));
            out.add(dir.substring(dir.lastIndexOf('/') + 1));
        }
        return out;
    }

    @Test
    void everyModeFolderHasItsRecordAndEveryRecordItsFolder() throws Exception {
        Set<String> records = new TreeSet<>();
        for (WanModes.Mode m : WanModes.all()) {
            records.add(m.id());
            assertThat(m.label()).as(m.id() + " label").isNotBlank().isNotEqualTo(m.id());
            assertThat(m.description()).as(m.id() + " description").isNotBlank();
        }
        assertThat(records).isEqualTo(folders("wan", "mode.conf"));
        assertThat(WanModes.ids()).isEqualTo("dhcp, pppoe, l2tp, static");
    }

    @Test
    void servicesAndTargetsAreTheirFolders() throws Exception {
        List<String> services = new ArrayList<>();
        for (ServiceCatalog.Service s : ServiceCatalog.all()) {
            services.add(s.id());
        }
        assertThat(new TreeSet<>(services)).isEqualTo(folders("services", "service.conf"));
        assertThat(ServiceCatalog.optional()).extracting(ServiceCatalog.Service::id)
                .containsExactly("dnsmasq", "firewall", "nat", "ntp", "ssh", "syslog");
        assertThat(ServiceCatalog.byId("ssh").ports()).extracting(Object::toString).containsExactly("lan/tcp/22");
        assertThat(ServiceCatalog.byId("ntp").users()).extracting(ServiceCatalog.User::name).containsExactly("ntpd");
        assertThat(ServiceCatalog.byId("ssh").checks()).containsExactly("ssh-key");
        assertThat(ServiceCatalog.openable()).extracting(ServiceCatalog.Service::id).containsExactly("ssh");
        assertThat(ServiceCatalog.byId("firewall").checks()).containsExactly("wan-closed", "no-forward-in", "port-forward");
        assertThat(ServiceCatalog.byId("dnsmasq").ports()).extracting(Object::toString).contains("lan/udp/53", "lan/udp/67");
        assertThat(new TreeSet<>(TargetSpec.ids())).isEqualTo(folders("targets", "target.conf"));
    }

    @Test
    void aServiceWithSettingsHasItsComponentInServiceSettings() {
        Set<String> components = new TreeSet<>();
        for (var rc : ServiceSettings.class.getRecordComponents()) {
            components.add(rc.getName());
        }
        Set<String> withSettings = new TreeSet<>();
        for (ServiceCatalog.Service s : ServiceCatalog.all()) {
            if (!s.settings().isEmpty()) {
                withSettings.add(s.id());
            }
        }
        assertThat(components).isEqualTo(withSettings);
    }

    @Test
    void generatedEtcIsDerivedAndCoversWhatHadDrifted() {
        assertThat(ProfileValidator.generatedEtc()).contains("/etc/openntpd/ntpd.conf", "/etc/dropbear", "/etc/s6", "/etc/passwd",
                "/etc/ppp/peers/wan", "/etc/xl2tpd/xl2tpd.conf", "/etc/dnsmasq.conf", "/etc/resolv.conf", "/etc/nftables/studio_fw.nft")
                .doesNotContain("/etc/motd");
    }
}
