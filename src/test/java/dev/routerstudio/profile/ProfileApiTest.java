package dev.routerstudio.profile;

import dev.routerstudio.TestClients;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
class ProfileApiTest {

    private static final String HOSTILE = "a\\\"b'c$(reboot)\\\\` n";

    MockMvc mvc;

    @Autowired
    void mvc(WebApplicationContext context) {
        mvc = TestClients.basicAuth(context, "admin", TestClients.ADMIN_PASSWORD);
    }

    @Autowired
    ProfileService profiles;

    private static String body(String name, String password) {
        return """
                {"name":"%s","hostname":"gw","interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"10.1.0.1/24"}},
                 "wan":{"mode":"pppoe","username":"u","password":"%s"},"services":["nat"]}""".formatted(name, password);
    }

    @Test
    void theExampleProfileExistsAfterFirstStart() throws Exception {
        mvc.perform(get("/api/v1/profiles")).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItem("example-pppoe")));
    }

    @Test
    void createReadReplaceDelete() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(body("crud", HOSTILE)))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "http://localhost/api/v1/profiles/crud"))
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.wan.password").doesNotExist());
        assertThat(profiles.specWithSecrets("crud").wan().password()).isEqualTo("a\"b'c$(reboot)\\` n");

        mvc.perform(get("/api/v1/profiles/crud")).andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("crud"))
                .andExpect(jsonPath("$.target").value("malta-mipsel"))
                .andExpect(content().string(not(containsString("reboot"))));

        // replace without a password keeps the stored one; the version goes up
        String changed = body("crud", "").replace(",\"password\":\"\"", "").replace("\"gw\"", "\"gw2\"");
        mvc.perform(put("/api/v1/profiles/crud").header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON).content(changed))
                .andExpect(status().isOk()).andExpect(header().string("ETag", "\"2\""))
                .andExpect(jsonPath("$.hostname").value("gw2"));
        assertThat(profiles.specWithSecrets("crud").wan().password()).isEqualTo("a\"b'c$(reboot)\\` n");
        assertThat(profiles.get("crud").getVersion()).isEqualTo(2);

        // a stale If-Match changes nothing
        mvc.perform(put("/api/v1/profiles/crud").header("If-Match", "\"1\"").contentType(MediaType.APPLICATION_JSON).content(changed))
                .andExpect(status().isPreconditionFailed())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        mvc.perform(delete("/api/v1/profiles/crud")).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/profiles/crud")).andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("crud")));
    }

    @Test
    void badProfilesGetOneEntryPerBadFieldAndStoreNothing() throws Exception {
        String bad = """
                {"name":"Bad Name","hostname":"-gw","interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"10.1.0.0/24"}},
                 "wan":{"mode":"pppoe","username":"u"},"packages":["Bad"],"services":["telnet"]}""";
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(bad))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "name", "hostname", "interfaces.lan.address", "wan.password", "packages[0]", "services[0]")));
        assertThat(profiles.exists("Bad Name")).isFalse();
    }

    @Test
    void unknownFieldsAndWrongTypesAreNamed() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\",\"colour\":\"red\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("colour"))
                .andExpect(jsonPath("$.errors[0].message", containsString("not a known field")));
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content("{\"interfaces\":{\"lan\":{\"mtu\":\"big\"}}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("interfaces.lan.mtu"));
    }

    @Test
    void protocolMistakesAreProblemsNotServerErrors() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest());
        mvc.perform(put("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isMethodNotAllowed());
        mvc.perform(get("/api/v1/nothing-here")).andExpect(status().isNotFound());
        mvc.perform(put("/api/v1/profiles/example-pppoe").header("If-Match", "yesterday")
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("If-Match"));
    }

    @Test
    void duplicateNamesConflict() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(body("twice", "pw")))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(body("twice", "pw")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void renamingThroughPutIsRefused() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(body("keepname", "pw")))
                .andExpect(status().isCreated());
        mvc.perform(put("/api/v1/profiles/keepname").contentType(MediaType.APPLICATION_JSON).content(body("newname", "pw")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("name"));
    }

    @Test
    void exportImportExportIsByteIdenticalAndCarriesNoSecret() throws Exception {
        mvc.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(body("roundtrip", "hunter2")))
                .andExpect(status().isCreated());
        MvcResult first = mvc.perform(get("/api/v1/profiles/roundtrip/export")).andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", containsString("roundtrip.json"))).andReturn();
        byte[] exported = first.getResponse().getContentAsByteArray();
        assertThat(new String(exported, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("hunter2").doesNotContain("password");

        mvc.perform(delete("/api/v1/profiles/roundtrip")).andExpect(status().isNoContent());
        mvc.perform(post("/api/v1/profiles/import").contentType(MediaType.APPLICATION_JSON).content(exported))
                .andExpect(status().isCreated());
        byte[] again = mvc.perform(get("/api/v1/profiles/roundtrip/export")).andReturn().getResponse().getContentAsByteArray();
        assertThat(again).isEqualTo(exported);
        assertThat(profiles.get("roundtrip").isPasswordSet()).isFalse();

        // asked for explicitly, the secret is included
        mvc.perform(put("/api/v1/profiles/roundtrip").contentType(MediaType.APPLICATION_JSON).content(body("roundtrip", "hunter3")))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/profiles/roundtrip/export").param("includeSecrets", "true"))
                .andExpect(jsonPath("$.wan.password").value("hunter3"));
    }

    @Test
    void theOpenApiDocumentDescribesTheProfileApi() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.info.title").value("Router Studio API"))
                .andExpect(jsonPath("$.components.securitySchemes.token.scheme").value("bearer"))
                .andExpect(jsonPath("$.paths['/api/v1/profiles'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/profiles/{name}'].put").exists())
                .andExpect(jsonPath("$.paths['/api/v1/profiles/{name}/export'].get").exists())
                .andExpect(jsonPath("$.paths['/api/v1/profiles/import'].post").exists())
                .andExpect(jsonPath("$.components.schemas.ProfileSpec").exists());
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }
}
