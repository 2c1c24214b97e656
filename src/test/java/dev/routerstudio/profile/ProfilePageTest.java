package dev.routerstudio.profile;

import dev.routerstudio.TestClients;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
class ProfilePageTest {

    MockMvc mvc;

    @Autowired
    void mvc(WebApplicationContext context) {
        mvc = TestClients.browserSession(context, "admin", "ADMIN");
    }

    @Autowired
    ProfileService profiles;

    /** A complete PPPoE form; overrides are "field", "value" pairs that replace the defaults. */
    private static MockHttpServletRequestBuilder pppoeForm(String url, String name, String password, String... overrides) {
        MockHttpServletRequestBuilder form = defaults(post(url), name, password);
        return form.with(request -> {
            for (int i = 0; i < overrides.length; i += 2) {
                request.removeParameter(overrides[i]);
                request.addParameter(overrides[i], overrides[i + 1]);
            }
            return request;
        });
    }

    private static MockHttpServletRequestBuilder defaults(MockHttpServletRequestBuilder b, String name, String password) {
        return b.param("name", name).param("hostname", "gw").param("description", "<b>bold</b>")
                .param("target", "malta-mipsel")
                .param("interfaces.wan.device", "eth0").param("interfaces.lan.device", "eth1")
                .param("interfaces.lan.address", "192.168.7.1/24")
                .param("interfaces.lan.dhcpRange.start", "192.168.7.100").param("interfaces.lan.dhcpRange.end", "192.168.7.150")
                .param("wan.mode", "pppoe").param("wan.fields[username]", "user@isp").param("wan.fields[password]", password)
                .param("wan.fields[server]", "ignored-for-pppoe")
                .param("packagesText", "tcpdump iperf3").param("services", "dnsmasq", "nat")
                .param("files[0].path", "/etc/motd").param("files[0].mode", "0644").param("files[0].content", "hi\r\n")
                .param("files[1].path", "").param("files[1].mode", "0644").param("files[1].content", "");
    }

    @Test
    void listShowsProfilesAndEscapesThem() throws Exception {
        mvc.perform(get("/profiles")).andExpect(status().isOk())
                .andExpect(content().string(containsString("example-pppoe")));
    }

    @Test
    void createThroughTheForm() throws Exception {
        mvc.perform(pppoeForm("/profiles/new", "formmade", "p@ss w'rd"))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/profiles/formmade"));
        Profile p = profiles.get("formmade");
        assertThat(profiles.specWithSecrets("formmade").wan().password()).isEqualTo("p@ss w'rd");
        assertThat(p.spec().wan()).isInstanceOf(PppoeWan.class);
        assertThat(p.spec().packages()).containsExactly("iperf3", "tcpdump");
        assertThat(p.spec().files()).singleElement().satisfies(f -> assertThat(f.content()).isEqualTo("hi\n"));
        mvc.perform(get("/profiles/formmade")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("&lt;b&gt;bold&lt;/b&gt;"), not(containsString("<b>bold</b>")),
                        not(containsString("p@ss w&#39;rd")), not(containsString("p@ss w'rd")))));
    }

    /** Slim packages are the default: ticked on a new form; unticked (the browser sends only _slim) is "slim": false. */
    @Test
    void slimIsTickedOnANewFormAndUntickingItAsksForDebiansBinaries() throws Exception {
        mvc.perform(get("/profiles/new")).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.matchesPattern("(?s).*<input type=\"checkbox\" id=\"slim1\" name=\"slim\" value=\"true\" checked=\"checked\">.*")));
        mvc.perform(pppoeForm("/profiles/new", "slimmed", "pw").param("slim", "true").param("_slim", "on"))
                .andExpect(status().is3xxRedirection());
        assertThat(profiles.get("slimmed").spec().slimEnabled()).isTrue();
        assertThat(profiles.get("slimmed").spec().slim()).isNull();
        mvc.perform(pppoeForm("/profiles/new", "stock", "pw").param("_slim", "on")).andExpect(status().is3xxRedirection());
        assertThat(profiles.get("stock").spec().slimEnabled()).isFalse();
        mvc.perform(get("/profiles/stock/edit")).andExpect(status().isOk())
                .andExpect(content().string(not(org.hamcrest.Matchers.matchesPattern("(?s).*name=\"slim\" value=\"true\" checked.*"))));
    }

    @Test
    void vlanMtuAndSshKeysGoThroughTheFormAndBackIntoIt() throws Exception {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";
        mvc.perform(pppoeForm("/profiles/new", "tagged", "pw", "interfaces.wan.vlan", "7", "interfaces.wan.mtu", "1496",
                        "services", "ssh", "sshAuthorizedKeys", key + "\r\n\r\n"))
                .andExpect(status().is3xxRedirection());
        ProfileSpec spec = profiles.get("tagged").spec();
        assertThat(spec.interfaces().wan().vlan()).isEqualTo(7);
        assertThat(spec.interfaces().wan().mtu()).isEqualTo(1496);
        assertThat(spec.services()).containsExactly("ssh");
        assertThat(spec.settings().ssh().authorizedKeys()).containsExactly(key);
        mvc.perform(get("/profiles/tagged/edit")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("value=\"7\""), containsString("me@laptop"))));
        mvc.perform(get("/profiles/tagged")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("VLAN 7"), containsString("1 key may log in"))));
        // A bad tag and a cut key come back next to their fields.
        mvc.perform(pppoeForm("/profiles/new", "badtag", "pw", "interfaces.wan.vlan", "4095",
                        "services", "ssh", "sshAuthorizedKeys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("VLAN id from 1 to 4094"), containsString("does not match its type"))));
        assertThat(profiles.exists("badtag")).isFalse();
    }

    /** The one input tag of a page that carries the given attribute. */
    private static String tag(String html, String attribute) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<input[^>]*" + java.util.regex.Pattern.quote(attribute) + "[^>]*>").matcher(html);
        assertThat(m.find()).as(attribute).isTrue();
        return m.group();
    }

    @Test
    void portForwardsAndWanOpeningsGoThroughTheFormAndBackIntoIt() throws Exception {
        // A new profile's form has the firewall ticked.
        String blank = mvc.perform(get("/profiles/new")).andReturn().getResponse().getContentAsString();
        assertThat(tag(blank, "data-service=\"firewall\"")).contains("checked");
        assertThat(tag(blank, "data-service=\"nat\"")).doesNotContain("checked");
        mvc.perform(pppoeForm("/profiles/new", "forwarding", "pw",
                        "forwards[0].proto", "tcp", "forwards[0].wanPort", "8080", "forwards[0].lanAddress", "192.168.7.50",
                        "forwards[0].lanPort", "80", "forwards[1].proto", "udp", "forwards[1].wanPort", "",
                        "forwards[1].lanAddress", "", "forwards[1].lanPort", "",
                        "forwards[2].proto", "udp", "forwards[2].wanPort", "51820", "forwards[2].lanAddress", "192.168.7.60",
                        "forwards[2].lanPort", "51820").param("services", "firewall", "ssh").param("openOnWan", "ssh"))
                .andExpect(status().is3xxRedirection());
        ProfileSpec spec = profiles.get("forwarding").spec();
        assertThat(spec.services()).containsExactly("dnsmasq", "firewall", "nat", "ssh");
        assertThat(spec.settings().firewall().portForwards()).containsExactly(
                new FirewallSettings.PortForward("tcp", 8080, "192.168.7.50", 80),
                new FirewallSettings.PortForward("udp", 51820, "192.168.7.60", 51820));
        assertThat(spec.settings().firewall().openOnWan()).containsExactly("ssh");
        String edit = mvc.perform(get("/profiles/forwarding/edit")).andReturn().getResponse().getContentAsString();
        assertThat(edit).contains("value=\"192.168.7.60\"").contains("value=\"51820\"");
        assertThat(tag(edit, "data-open-on-wan=\"ssh\"")).contains("checked");
        mvc.perform(get("/profiles/forwarding")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("firewall: WAN open to ssh"),
                        containsString("forward tcp 8080 → 192.168.7.50:80"))));
        // Bad rows come back next to their own fields; the empty row in between does not shift them.
        mvc.perform(pppoeForm("/profiles/new", "badforward", "pw", "services", "firewall",
                        "forwards[0].proto", "tcp", "forwards[0].wanPort", "", "forwards[0].lanAddress", "",
                        "forwards[0].lanPort", "", "forwards[1].proto", "tcp", "forwards[1].wanPort", "80",
                        "forwards[1].lanAddress", "10.0.0.5", "forwards[1].lanPort", "port", "openOnWan", "ssh"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"forwards[1].lanAddress-error\""),
                        containsString("inside the LAN subnet 192.168.7.0/24"), containsString("id=\"forwards[1].lanPort-error\""),
                        containsString("must be a whole number"), containsString("id=\"openOnWan-error\""),
                        containsString("does not enable it"))));
        assertThat(profiles.exists("badforward")).isFalse();
    }

    @Test
    void aBadFormComesBackWithMessagesAndTheInputKept() throws Exception {
        mvc.perform(pppoeForm("/profiles/new", "badform", "pw", "hostname", "-bad-", "interfaces.lan.mtu", "huge",
                        "files[0].path", "/etc/../root/x"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("RFC 1123"),
                        containsString("value=\"-bad-\""),
                        containsString("must be a whole number"),
                        containsString("value=\"huge\""),
                        containsString("must not contain . or .. components"),
                        containsString("3 fields need attention"))));
        assertThat(profiles.exists("badform")).isFalse();
    }

    @Test
    void editKeepsThePasswordWhenLeftEmptyAndNeverRendersIt() throws Exception {
        mvc.perform(pppoeForm("/profiles/new", "editme", "topsecret")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/profiles/editme/edit")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("unchanged"), not(containsString("topsecret")))));
        mvc.perform(pppoeForm("/profiles/editme/edit", "editme", "", "hostname", "gw2", "version", "1"))
                .andExpect(status().is3xxRedirection());
        Profile p = profiles.get("editme");
        assertThat(p.getHostname()).isEqualTo("gw2");
        assertThat(p.getVersion()).isEqualTo(2);
        assertThat(profiles.specWithSecrets("editme").wan().password()).isEqualTo("topsecret");

        // an edit of an old version is refused instead of overwriting
        mvc.perform(pppoeForm("/profiles/editme/edit", "editme", "", "hostname", "gw3", "version", "1"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("changed meanwhile")));
        assertThat(profiles.get("editme").getHostname()).isEqualTo("gw2");
    }

    @Test
    void cloneCopiesEverythingIncludingThePassword() throws Exception {
        mvc.perform(pppoeForm("/profiles/new", "original", "orig-pw")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/profiles/original/clone")).andExpect(status().isOk())
                .andExpect(content().string(containsString("original-copy")));
        mvc.perform(pppoeForm("/profiles/original/clone", "original-copy", "")).andExpect(redirectedUrl("/profiles/original-copy"));
        assertThat(profiles.specWithSecrets("original-copy").wan().password()).isEqualTo("orig-pw");
    }

    @Test
    void deleteAndExportAndImport() throws Exception {
        mvc.perform(pppoeForm("/profiles/new", "gone", "pw")).andExpect(status().is3xxRedirection());
        byte[] json = mvc.perform(get("/profiles/gone/export")).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        mvc.perform(post("/profiles/gone/delete")).andExpect(redirectedUrl("/profiles"));
        assertThat(profiles.exists("gone")).isFalse();

        mvc.perform(multipart("/profiles/import").file(new MockMultipartFile("file", "gone.json", "application/json", json)))
                .andExpect(redirectedUrl("/profiles/gone"));
        mvc.perform(get("/profiles/gone")).andExpect(content().string(containsString("no WAN password")));

        mvc.perform(multipart("/profiles/import").param("json", "{\"name\":\"x\",\"oops\":1}"))
                .andExpect(status().isOk()).andExpect(content().string(allOf(containsString("oops"), containsString("not a known field"))));
    }

    @Test
    void missingThingsArePagesNotStackTraces() throws Exception {
        mvc.perform(get("/profiles/nobody")).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no profile named")));
        mvc.perform(get("/profiles/nobody/edit")).andExpect(status().isNotFound());
        // the page itself comes from the container's error dispatch; the browser test looks at it
        mvc.perform(get("/no/such/page")).andExpect(status().isNotFound());
    }
}
