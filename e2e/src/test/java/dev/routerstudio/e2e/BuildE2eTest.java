package dev.routerstudio.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.routerstudio.RouterStudioApplication;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Build from the page, watch the progress reach the end, download the firmware and check it against its manifest. */
@SpringBootTest(classes = RouterStudioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BuildE2eTest extends BrowserTest {

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    dev.routerstudio.profile.ProfileService profiles;

    @org.springframework.beans.factory.annotation.Autowired
    dev.routerstudio.lab.PeerVmStore peerVms;

    /**
     * The peers page: empty at first; an upload whose disk is a text file comes back with the
     * field's reason and the form as typed; a good one is listed, offered as a lab's ISP on the
     * succeeded build's page, and deleted again. At desktop and phone width.
     */
    void peerVmsAreUploadedListedOfferedAndDeleted(BrowserContext context, String base, String buildUrl) throws Exception {
        // the context (and its data dir) is shared with other test classes: start from no peer VMs
        peerVms.list().forEach(p -> peerVms.delete(p.name()));
        java.nio.file.Path dir = java.nio.file.Path.of("target", "e2e-peer");
        Files.createDirectories(dir);
        java.nio.file.Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a disk\n".repeat(100));
        java.nio.file.Path disk = dir.resolve("openwrt.qcow2");
        byte[] qcow2 = new byte[4096];
        qcow2[0] = 'Q';
        qcow2[1] = 'F';
        qcow2[2] = 'I';
        qcow2[3] = (byte) 0xfb;
        Files.write(disk, qcow2);
        {
            Page page = context.newPage();
            page.setViewportSize(1280, 900);
            page.navigate(buildUrl);
            page.click("nav.topnav a[href='/peers']");
            assertThat(page.locator("#no-peers")).isVisible();
            page.fill("#name", "openwrt-bng");
            page.fill("#description", "OpenWrt x86-64 as a PPPoE server");
            page.setInputFiles("#disk", text);
            page.fill("#ready", "Please press Enter to activate this console");
            page.fill("#consoleLines", "uci set network.wan.password={{sh:password}}");
            page.click("#upload-peer-button");
            assertThat(page.locator("#disk-error")).containsText("is not a disk image");
            assertThat(page.locator("#name")).hasValue("openwrt-bng");
            assertThat(page.locator("#consoleLines")).hasValue("uci set network.wan.password={{sh:password}}");
            page.setInputFiles("#disk", disk);
            page.click("#upload-peer-button");
            assertThat(page.locator(".notice")).containsText("Peer VM openwrt-bng uploaded");
            Locator row = page.locator("#peer-openwrt-bng");
            assertThat(row).containsText("x86_64, 256 MiB");
            assertThat(row).containsText("its disk");
            assertThat(row).containsText("qcow2, 4 KiB");
            assertThat(row).containsText("then types 1 line");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("peers.png")).setFullPage(true));
            page.setViewportSize(390, 844);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("peers-phone.png")).setFullPage(true));
            page.setViewportSize(1280, 900);
            // the build's page offers it as the lab's ISP
            page.navigate(buildUrl);
            assertThat(page.locator("#lab-peer option[value=openwrt-bng]")).hasText("openwrt-bng (x86_64)");
            page.navigate(base + "/peers");
            page.click("#delete-openwrt-bng");
            assertThat(page.locator(".notice")).containsText("Peer VM openwrt-bng deleted");
            assertThat(page.locator("#no-peers")).isVisible();
            page.close();
        }
    }

    @Test
    void buildFromThePageAndDownloadTheFirmware() throws Exception {
        try (BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setAcceptDownloads(true).setViewportSize(1280, 900))) {
            Page page = context.newPage();
            String base = "http://localhost:" + port;
            login(page, base);
            // a change no earlier build has seen, so this is a real build and not a cache hit
            var spec = profiles.specWithSecrets("example-pppoe");
            profiles.update("example-pppoe", new dev.routerstudio.profile.ProfileSpec(spec.name(), "Browser test " + System.nanoTime(),
                    spec.hostname(), spec.target(), spec.interfaces(), spec.wan(), spec.packages(), spec.services(), spec.files()), null);
            page.navigate(base + "/profiles/example-pppoe");
            assertThat(page.locator("#builds")).isVisible();
            page.click("#build");

            assertThat(page).hasURL(Pattern.compile(".*/builds/\\d+$"));
            assertThat(page.locator("[data-stage=resolve]")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("build-running.png")));
            // the log streams in while the build runs
            assertThat(page.locator("#log")).containsText("resolve", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
            assertThat(page.locator("#build-status")).hasText("succeeded",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(300_000));
            String buildUrl = page.url();
            Locator stages = page.locator(".stages li");
            assertThat(stages).hasCount(9);
            for (int i = 0; i < 9; i++) {
                assertThat(stages.nth(i)).hasClass(Pattern.compile("stage-done"));
            }
            assertThat(page.locator("#service-graph svg .node")).not().hasCount(0);
            assertThat(page.locator("#sizes svg rect.bar").first()).isVisible();
            assertThat(page.locator("#kernel-check")).containsText("squashfs");
            assertThat(page.locator("#log")).containsText("succeeded");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("build-done.png")).setFullPage(true));

            String shownSha = page.locator("#artifacts tr:has(a:text-is('firmware.tar')) code.hash").getAttribute("title");
            Download download = page.waitForDownload(() -> page.click("#download"));
            byte[] tar = Files.readAllBytes(download.path());
            assertThat(sha256(tar)).isEqualTo(shownSha);

            // every file in the bundle matches what manifest.json says about it
            Map<String, String> inTar = new HashMap<>();
            JsonNode manifest = null;
            int labJsonMode = -1;
            try (InputStream in = Files.newInputStream(download.path()); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) {
                    if (e.isFile()) {
                        if (e.getName().endsWith("/lab.json")) {
                            labJsonMode = e.getMode() & 07777;
                        }
                        byte[] bytes = t.readAllBytes();
                        String name = e.getName().substring(e.getName().indexOf('/') + 1);
                        inTar.put(name, sha256(bytes));
                        if (name.equals("manifest.json")) {
                            manifest = JsonMapper.builder().build().readTree(bytes);
                        }
                    }
                }
            }
            assertThat(manifest).as("manifest.json in firmware.tar").isNotNull();
            assertThat(manifest.get("files").size()).isGreaterThanOrEqualTo(3);
            for (JsonNode f : manifest.get("files")) {
                assertThat(inTar.get(f.get("name").asString())).as(f.get("name").asString()).isEqualTo(f.get("sha256").asString());
            }
            // The manifest never names the WAN password; lab.json does (the lab's ISP must accept what the
            // firmware sends, as the firmware itself carries it in /etc/ppp/peers/wan), owner-only.
            assertThat(manifest.toString()).doesNotContain("password");
            assertThat(labJsonMode).as("lab.json's mode in firmware.tar").isEqualTo(0600);

            page.setViewportSize(390, 844);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("build-done-phone.png")).setFullPage(true));

            // The page names the node that ran the build; its link is the workers list, where this
            // node (role all) is alive with its slot free again.
            page.setViewportSize(1280, 900);
            page.click("#worker");
            assertThat(page).hasURL(Pattern.compile(".*/admin/workers$"));
            Locator self = page.locator("#workers tbody tr").first();
            assertThat(self).containsText("alive");
            assertThat(self).containsText("0 of 1 running");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("workers.png")));
            page.setViewportSize(390, 844);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("workers-phone.png")).setFullPage(true));
            peerVmsAreUploadedListedOfferedAndDeleted(context, base, buildUrl);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
