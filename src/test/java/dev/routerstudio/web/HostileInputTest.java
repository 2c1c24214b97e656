package dev.routerstudio.web;

import dev.routerstudio.HostileCorpus;
import dev.routerstudio.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Every hostile string against every field of every API call and form: never a 5xx; where the
 * rules accept a value, every page shows it escaped. (That accepted values stay inert in the
 * generated scripts and configs is HostileCorpusGenerationTest, which parses them.)
 */
@SpringBootTest
class HostileInputTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger TRIED = new AtomicInteger();
    static final AtomicInteger ACCEPTED = new AtomicInteger();
    static final List<String> SERVER_ERRORS = new ArrayList<>();

    MockMvc api;
    MockMvc browser;
    MockMvc stranger;
    int counter;

    @Autowired
    void clients(WebApplicationContext context, dev.routerstudio.account.AccountService accounts) {
        api = TestClients.bearer(context, accounts.issueToken("admin", "hostile-input-test").secret());
        browser = TestClients.browserSession(context, "admin", "ADMIN");
        stranger = TestClients.anonymous(context);
    }

    /** A valid profile for the WAN mode, as JSON the test can change field by field. */
    static ObjectNode base(String name, String mode) {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", name).put("description", "hostile input test").put("hostname", "gw").put("target", "malta-mipsel");
        ObjectNode ifs = p.putObject("interfaces");
        ifs.putObject("wan").put("device", "eth0");
        ObjectNode lan = ifs.putObject("lan").put("device", "eth1").put("address", "192.168.1.1/24");
        lan.putObject("dhcpRange").put("start", "192.168.1.100").put("end", "192.168.1.199");
        ObjectNode wan = p.putObject("wan").put("mode", mode);
        switch (mode) {
            case "pppoe" -> wan.put("username", "user").put("password", "pw").put("serviceName", "svc").put("acName", "ac");
            case "l2tp" -> wan.put("server", "203.0.113.1").put("username", "user").put("password", "pw");
            case "static" -> {
                wan.put("address", "203.0.113.2/24").put("gateway", "203.0.113.1");
                wan.putArray("dns").add("203.0.113.53");
                wan.put("address6", "2001:db8:1::2/64").put("gateway6", "2001:db8:1::1").put("prefix6", "2001:db8:5:100::/56");
            }
            default -> { }
        }
        p.putObject("ipv6").put("enabled", true).put("prefixLength", 56);
        p.putArray("packages").add("tcpdump");
        p.putArray("services").add("dnsmasq");
        ObjectNode file = p.putArray("files").addObject();
        file.put("path", "/etc/motd").put("mode", "0644").put("content", "hello\n");
        return p;
    }

    /** Every string field of a profile: the JSON path, the WAN mode it belongs to, and how to set it. */
    record Field(String path, String mode, java.util.function.BiConsumer<ObjectNode, String> set) {
    }

    static final List<Field> FIELDS = List.of(
            new Field("name", "dhcp", (p, v) -> p.put("name", v)),
            new Field("description", "dhcp", (p, v) -> p.put("description", v)),
            new Field("hostname", "dhcp", (p, v) -> p.put("hostname", v)),
            new Field("target", "dhcp", (p, v) -> p.put("target", v)),
            new Field("interfaces.wan.device", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("wan")).put("device", v)),
            new Field("interfaces.lan.device", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("lan")).put("device", v)),
            new Field("interfaces.lan.address", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("lan")).put("address", v)),
            new Field("interfaces.lan.dhcpRange.start", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("lan").get("dhcpRange")).put("start", v)),
            new Field("interfaces.lan.dhcpRange.end", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("lan").get("dhcpRange")).put("end", v)),
            new Field("wan.mode", "dhcp", (p, v) -> ((ObjectNode) p.get("wan")).put("mode", v)),
            new Field("wan.username", "pppoe", (p, v) -> ((ObjectNode) p.get("wan")).put("username", v)),
            new Field("wan.password", "pppoe", (p, v) -> ((ObjectNode) p.get("wan")).put("password", v)),
            new Field("wan.serviceName", "pppoe", (p, v) -> ((ObjectNode) p.get("wan")).put("serviceName", v)),
            new Field("wan.acName", "pppoe", (p, v) -> ((ObjectNode) p.get("wan")).put("acName", v)),
            new Field("wan.server", "l2tp", (p, v) -> ((ObjectNode) p.get("wan")).put("server", v)),
            new Field("wan.address", "static", (p, v) -> ((ObjectNode) p.get("wan")).put("address", v)),
            new Field("wan.gateway", "static", (p, v) -> ((ObjectNode) p.get("wan")).put("gateway", v)),
            new Field("wan.dns[0]", "static", (p, v) -> ((ArrayNode) p.get("wan").get("dns")).set(0, JSON.getNodeFactory().textNode(v))),
            new Field("wan.address6", "static", (p, v) -> ((ObjectNode) p.get("wan")).put("address6", v)),
            new Field("wan.gateway6", "static", (p, v) -> ((ObjectNode) p.get("wan")).put("gateway6", v)),
            new Field("wan.prefix6", "static", (p, v) -> ((ObjectNode) p.get("wan")).put("prefix6", v)),
            new Field("ipv6.prefixLength", "pppoe", (p, v) -> p.putObject("ipv6").put("prefixLength", v)),
            new Field("ipv6.enabled", "static", (p, v) -> p.putObject("ipv6").put("enabled", v)),
            new Field("interfaces.wan.vlan", "dhcp", (p, v) -> ((ObjectNode) p.get("interfaces").get("wan")).put("vlan", v)),
            new Field("settings.ssh.authorizedKeys[0]", "dhcp", (p, v) -> {
                ((ArrayNode) p.get("services")).add("ssh");
                p.putObject("settings").putObject("ssh").putArray("authorizedKeys").add(v);
            }),
            new Field("settings.firewall.portForwards[0].proto", "dhcp", (p, v) -> forward(p).put("proto", v)),
            new Field("settings.firewall.portForwards[0].lanAddress", "dhcp", (p, v) -> forward(p).put("lanAddress", v)),
            new Field("settings.firewall.portForwards[0].wanPort", "dhcp", (p, v) -> forward(p).put("wanPort", v)),
            new Field("settings.firewall.openOnWan[0]", "dhcp", (p, v) -> {
                ((ArrayNode) p.get("services")).add("firewall").add("ssh");
                p.putObject("settings").putObject("firewall").putArray("openOnWan").add(v);
            }),
            new Field("packages[0]", "dhcp", (p, v) -> ((ArrayNode) p.get("packages")).set(0, JSON.getNodeFactory().textNode(v))),
            new Field("services[0]", "dhcp", (p, v) -> ((ArrayNode) p.get("services")).set(0, JSON.getNodeFactory().textNode(v))),
            new Field("files[0].path", "dhcp", (p, v) -> ((ObjectNode) p.get("files").get(0)).put("path", v)),
            new Field("files[0].mode", "dhcp", (p, v) -> ((ObjectNode) p.get("files").get(0)).put("mode", v)),
            new Field("files[0].content", "dhcp", (p, v) -> ((ObjectNode) p.get("files").get(0)).put("content", v)));

    /** The firewall on, with one valid port forward whose fields a test then overwrites. */
    static ObjectNode forward(ObjectNode p) {
        ((ArrayNode) p.get("services")).add("firewall");
        ObjectNode f = p.putObject("settings").putObject("firewall").putArray("portForwards").addObject();
        return f.put("proto", "tcp").put("wanPort", 8080).put("lanAddress", "192.168.1.50").put("lanPort", 80);
    }

    MockHttpServletResponse send(RequestBuilder request, String what) throws Exception {
        MockHttpServletResponse r = api.perform(request).andReturn().getResponse();
        TRIED.incrementAndGet();
        if (r.getStatus() >= 500) {
            synchronized (SERVER_ERRORS) {
                SERVER_ERRORS.add(r.getStatus() + " " + what);
            }
        }
        return r;
    }

    void assertEscapedInPages(String name, String hostile) throws Exception {
        // '<' is what turns text into markup; a lone quote or ampersand appears in any page anyway
        boolean markup = hostile.contains("<");
        // the profile page shows every field as text, the edit form puts them in attributes
        for (String page : List.of("/profiles/" + name, "/profiles/" + name + "/edit")) {
            MockHttpServletResponse r = browser.perform(get(page)).andReturn().getResponse();
            TRIED.incrementAndGet();
            assertThat(r.getStatus()).as(page).isLessThan(500);
            if (markup) {
                assertThat(r.getContentAsString(StandardCharsets.UTF_8)).as("raw %s in %s", HostileCorpus.describe(hostile), page)
                        .doesNotContain(hostile);
            }
        }
    }

    @Test
    void everyStringInEveryProfileFieldOfCreateReplaceAndImport() throws Exception {
        api.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(base("hostile-target", "pppoe").toString()));
        for (Field field : FIELDS) {
            for (String hostile : HostileCorpus.strings()) {
                String name = field.path().equals("name") ? hostile : "h" + (counter++);
                ObjectNode body = base(name, field.mode());
                field.set().accept(body, hostile);
                String what = field.path() + "=" + HostileCorpus.describe(hostile);

                MockHttpServletResponse created = send(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON)
                        .content(body.toString()), "POST " + what);
                if (created.getStatus() == 201) {
                    ACCEPTED.incrementAndGet();
                    JsonNode back = JSON.readTree(created.getContentAsString(StandardCharsets.UTF_8));
                    assertThat(back.has("wan") && back.get("wan").has("password")).as("password echoed").isFalse();
                    assertEscapedInPages(name, hostile);
                    send(delete("/api/v1/profiles/{n}", name), "DELETE " + what);
                    send(post("/api/v1/profiles/import").contentType(MediaType.APPLICATION_JSON).content(body.toString()), "IMPORT " + what);
                    send(delete("/api/v1/profiles/{n}", name), "DELETE " + what);
                } else {
                    assertThat(created.getStatus()).as(what).isIn(400, 409);
                    assertThat(created.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                }
                if (!field.path().equals("name")) {
                    body.put("name", "hostile-target");
                    MockHttpServletResponse replaced = send(put("/api/v1/profiles/hostile-target").contentType(MediaType.APPLICATION_JSON)
                            .content(body.toString()), "PUT " + what);
                    assertThat(replaced.getStatus()).as(what).isIn(200, 400);
                }
            }
        }
    }

    @Test
    void wrongTypesAndOutOfRangeNumbersInEveryStructuredField() throws Exception {
        String[][] paths = {{"interfaces", "wan", "mtu"}, {"interfaces", "lan", "mtu"}, {"wan", "mtu"}, {"wan", "mru"},
                {"wan", "lcpEchoInterval"}, {"wan", "lcpEchoFailure"}, {"packages"}, {"services"}, {"files"}, {"interfaces"},
                {"interfaces", "lan"}, {"interfaces", "lan", "dhcpRange"}, {"wan"}, {"wan", "dns"}, {"name"}, {"hostname"},
                {"ipv6"}, {"ipv6", "enabled"}, {"ipv6", "prefixLength"}, {"wan", "address6"}};
        for (String[] path : paths) {
            for (String value : HostileCorpus.CONFUSED_VALUES) {
                ObjectNode body = base("typed" + (counter++), "pppoe");
                ObjectNode parent = body;
                for (int i = 0; i < path.length - 1; i++) {
                    parent = (ObjectNode) parent.get(path[i]);
                }
                parent.put(path[path.length - 1], "__MARK__");
                String json = body.toString().replace("\"__MARK__\"", value);
                MockHttpServletResponse r = send(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(json),
                        String.join(".", path) + "=" + value);
                assertThat(r.getStatus()).as(String.join(".", path) + "=" + value).isIn(201, 400);
            }
        }
    }

    @Test
    void everyStringInUrlsHeadersAndParameters() throws Exception {
        for (String hostile : HostileCorpus.strings()) {
            String what = HostileCorpus.describe(hostile);
            send(get("/api/v1/profiles/{n}", hostile), "GET profile " + what);
            send(get("/api/v1/profiles/{n}/export", hostile), "GET export " + what);
            send(delete("/api/v1/profiles/{n}", hostile), "DELETE profile " + what);
            send(post("/api/v1/profiles/{n}/builds", hostile), "POST build " + what);
            send(get("/api/v1/profiles/example-pppoe/export").param("includeSecrets", hostile), "includeSecrets " + what);
            send(get("/api/v1/builds/{id}", hostile), "GET build " + what);
            send(get("/api/v1/builds/1/artifacts/{a}", hostile), "GET artifact " + what);
            send(post("/api/v1/builds/{id}/cancel", hostile), "cancel " + what);
            if (hostile.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0) && hostile.length() < 8000) {
                send(put("/api/v1/profiles/example-pppoe").header("If-Match", hostile).contentType(MediaType.APPLICATION_JSON)
                        .content(base("example-pppoe", "pppoe").toString()), "If-Match " + what);
                send(get("/api/v1/builds/1/log").header("Last-Event-ID", hostile).accept(MediaType.TEXT_EVENT_STREAM), "Last-Event-ID " + what);
                MockHttpServletResponse bearer = stranger.perform(get("/api/v1/profiles").header("Authorization", "Bearer " + hostile)).andReturn().getResponse();
                TRIED.incrementAndGet();
                assertThat(bearer.getStatus()).as("Bearer " + what).isIn(400, 401);
            }
            send(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(hostile), "raw body " + what);
            send(post("/api/v1/profiles/import").contentType(MediaType.APPLICATION_JSON).content(hostile), "raw import " + what);
        }
    }

    @Test
    void everyStringInEveryFormField() throws Exception {
        String[] fields = {"name", "description", "hostname", "target", "interfaces.wan.device", "interfaces.wan.mtu",
                "interfaces.lan.device", "interfaces.lan.address", "interfaces.lan.mtu", "interfaces.lan.dhcpRange.start",
                "interfaces.lan.dhcpRange.end", "interfaces.wan.vlan", "wan.mode", "wan.fields[username]", "wan.fields[password]",
                "wan.fields[serviceName]", "wan.fields[acName]", "wan.fields[mtu]", "wan.fields[mru]", "wan.fields[lcpEchoInterval]",
                "wan.fields[lcpEchoFailure]", "wan.fields[server]", "wan.fields[address]", "wan.fields[dns]", "wan.fields[address6]", "wan.fields[gateway6]",
                "wan.fields[prefix6]", "ipv6.enabled", "ipv6.prefixLength", "sshAuthorizedKeys",
                "forwards[0].proto", "forwards[0].wanPort", "forwards[0].lanAddress", "forwards[0].lanPort", "openOnWan",
                "packagesText", "services",
                "files[0].path", "files[0].mode", "files[0].content", "version"};
        for (String field : fields) {
            for (String hostile : HostileCorpus.strings()) {
                if (hostile.length() > 20000) {
                    continue; // the form post limit is tested on its own
                }
                String name = "f" + (counter++);
                var request = post("/profiles/new").param("name", name).param("hostname", "gw")
                        .param("interfaces.wan.device", "eth0").param("interfaces.lan.device", "eth1")
                        .param("interfaces.lan.address", "192.168.1.1/24").param("wan.mode", "pppoe")
                        .param("wan.fields[username]", "u").param("wan.fields[password]", "p").param("files[0].path", "/etc/motd")
                        .param("files[0].content", "x").param("services", "ssh").param("services", "firewall")
                        .param("forwards[0].proto", "tcp").param("forwards[0].wanPort", "8080")
                        .param("forwards[0].lanAddress", "192.168.1.50").param("forwards[0].lanPort", "80").param("openOnWan", "ssh");
                request.with(r -> {
                    r.removeParameter(field);
                    r.addParameter(field, hostile);
                    return r;
                });
                MockHttpServletResponse r = browser.perform(request).andReturn().getResponse();
                TRIED.incrementAndGet();
                String what = "form " + field + "=" + HostileCorpus.describe(hostile);
                if (r.getStatus() >= 500) {
                    SERVER_ERRORS.add(r.getStatus() + " " + what);
                }
                if (r.getStatus() == 200 && hostile.contains("<")) {
                    assertThat(r.getContentAsString(StandardCharsets.UTF_8)).as(what).doesNotContain(hostile);
                }
                if (r.getStatus() == 302 && field.equals("name")) {
                    assertEscapedInPages(hostile, hostile);
                    assertThat(browser.perform(get("/profiles")).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8))
                            .doesNotContain(hostile.contains("<") ? hostile : "\u0000never");
                }
            }
        }
        for (String hostile : HostileCorpus.strings()) {
            if (hostile.length() > 20000) {
                continue;
            }
            MockHttpServletResponse r = browser.perform(multipart("/profiles/import").param("json", hostile)).andReturn().getResponse();
            TRIED.incrementAndGet();
            if (r.getStatus() >= 500) {
                SERVER_ERRORS.add(r.getStatus() + " import form " + HostileCorpus.describe(hostile));
            }
            // A WAN field is bound by map key: a hostile key must not break the binder either.
            MockHttpServletResponse key = browser.perform(post("/profiles/new").param("name", "k" + (counter++)).param("hostname", "gw")
                    .param("interfaces.wan.device", "eth0").param("interfaces.lan.device", "eth1")
                    .param("interfaces.lan.address", "192.168.1.1/24").param("wan.mode", "dhcp")
                    .param("wan.fields[" + hostile + "]", "x")).andReturn().getResponse();
            TRIED.incrementAndGet();
            if (key.getStatus() >= 500) {
                SERVER_ERRORS.add(key.getStatus() + " form key wan.fields[" + HostileCorpus.describe(hostile) + "]");
            }
            browser.perform(post("/account/tokens").param("name", hostile)).andReturn();
            browser.perform(post("/admin/users").param("username", hostile).param("password", hostile).param("role", "VIEWER")).andReturn();
            TRIED.addAndGet(2);
        }
    }

    @AfterAll
    static void noServerErrors() {
        System.out.println("hostile inputs tried: " + TRIED.get() + ", accepted profiles: " + ACCEPTED.get()
                + ", 5xx seen: " + SERVER_ERRORS.size());
        assertThat(SERVER_ERRORS).as("requests that produced a 5xx").isEmpty();
    }
}
