package dev.routerstudio.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.routerstudio.RouterStudioApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A person creates a PPPoE profile in the real page, trips over validation, fixes it, and exports it. */
@SpringBootTest(classes = RouterStudioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProfileFormE2eTest extends BrowserTest {

    @LocalServerPort
    int port;

    @Test
    void createPppoeProfileSeeErrorFixItAndExport() throws Exception {
        try (BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setAcceptDownloads(true).setViewportSize(1280, 900))) {
            Page page = context.newPage();
            String base = "http://localhost:" + port;
            page.navigate(base + "/profiles");
            assertThat(page).hasURL(base + "/login");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("login.png")));
            login(page, base);
            assertThat(page.locator("#profile-table")).containsText("example-pppoe");

            page.click("#new-profile");
            page.fill("#name", "e2e-pppoe");
            page.fill("#hostname", "e2e-gw");
            page.fill("#description", "Made by the browser test");
            page.check("input[data-wan-mode][value=pppoe]");
            assertThat(page.locator("#wan\\.username")).isVisible();
            assertThat(page.locator("#wan\\.server")).isHidden();
            page.fill("#wan\\.username", "user@isp");
            // no password yet: the server must refuse and say so next to the field
            page.fill("#interfaces\\.lan\\.dhcpRange\\.start", "192.168.1.100");
            page.fill("#interfaces\\.lan\\.dhcpRange\\.end", "192.168.1.199");
            page.check("input[name=services][value=dnsmasq]");
            page.check("input[name=services][value=nat]");
            page.fill("#packagesText", "tcpdump");
            page.click("#save");

            assertThat(page.locator("#form-errors")).isVisible();
            assertThat(page.locator("[id='wan.password-error']")).containsText("required");
            assertThat(page.locator("#name")).hasValue("e2e-pppoe");
            assertThat(page.locator("#wan\\.username")).hasValue("user@isp");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form-error.png")).setFullPage(true));

            page.fill("#wan\\.password", "a\"b'c$(reboot)\\` n");
            page.click("#save");
            assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/profiles/e2e-pppoe$"));
            assertThat(page.locator(".notice")).containsText("Created profile e2e-pppoe");
            assertThat(page.locator("main")).not().containsText("reboot");

            page.navigate("http://localhost:" + port + "/profiles");
            assertThat(page.locator("#profile-table")).containsText("e2e-pppoe");
            page.click("text=e2e-pppoe");

            Download download = page.waitForDownload(() -> page.click("#export"));
            String json = Files.readString(download.path());
            assertThat(json).contains("\"name\" : \"e2e-pppoe\"").contains("\"mode\" : \"pppoe\"").doesNotContain("reboot");
            assertThat(download.suggestedFilename()).isEqualTo("e2e-pppoe.json");

            page.navigate("http://localhost:" + port + "/profiles/example-pppoe/edit");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form.png")).setFullPage(true));
            page.setViewportSize(390, 844);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form-phone.png")).setFullPage(true));
            page.navigate(base + "/profiles");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profiles-phone.png")).setFullPage(true));

            // the API's own page works under the studio's Content-Security-Policy
            page.setViewportSize(1280, 900);
            page.navigate(base + "/swagger-ui/index.html");
            assertThat(page.locator("#swagger-ui")).containsText("Profiles",
                    new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
            assertThat(page.locator("#swagger-ui")).containsText("/api/v1/profiles/{name}/builds");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("swagger.png")));

            page.navigate(base + "/no/such/page");
            assertThat(page.locator("main")).containsText("There is nothing at /no/such/page");
        }
    }

    @Test
    void firewallPortForwardsAndWanOpeningsInTheRealPage() throws Exception {
        try (BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            String base = "http://localhost:" + port;
            login(page, base);
            page.navigate(base + "/profiles/new");
            // On for a new profile; its settings show only while it is ticked.
            assertThat(page.locator("input[name=services][value=firewall]")).isChecked();
            assertThat(page.locator("#forwards0\\.wanPort")).isVisible();
            page.uncheck("input[name=services][value=firewall]");
            assertThat(page.locator("#forwards0\\.wanPort")).isHidden();
            page.check("input[name=services][value=firewall]");

            page.fill("#name", "e2e-forwards");
            page.fill("#hostname", "gw");
            page.check("input[name=services][value=dnsmasq]");
            page.check("input[name=services][value=nat]");
            page.check("input[name=services][value=ssh]");
            page.check("input[name=openOnWan][value=ssh]");
            page.fill("#forwards0\\.wanPort", "8080");
            page.fill("#forwards0\\.lanAddress", "192.168.1.50");
            page.fill("#forwards0\\.lanPort", "80");
            page.click("#add-forward");
            page.selectOption("#forwards1\\.proto", "udp");
            page.fill("#forwards1\\.wanPort", "51820");
            page.fill("#forwards1\\.lanAddress", "10.9.9.9");
            page.fill("#forwards1\\.lanPort", "51820");
            page.click("#save");

            assertThat(page.locator("[id='forwards[1].lanAddress-error']")).containsText("inside the LAN subnet 192.168.1.0/24");
            assertThat(page.locator("#forwards0\\.lanAddress")).hasValue("192.168.1.50");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form-firewall-error.png")).setFullPage(true));

            page.fill("#forwards1\\.lanAddress", "192.168.1.60");
            page.click("#save");
            assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/profiles/e2e-forwards$"));
            assertThat(page.locator("#firewall-settings")).containsText("WAN open to ssh");
            assertThat(page.locator("#firewall-settings")).containsText("forward udp 51820 → 192.168.1.60:51820");

            page.navigate(base + "/profiles/e2e-forwards/edit");
            assertThat(page.locator("#forwards1\\.proto")).hasValue("udp");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form-firewall.png")).setFullPage(true));
            page.setViewportSize(390, 844);
            assertThat(page.locator("#forwards1\\.lanPort")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("profile-form-firewall-phone.png")).setFullPage(true));
            // On a phone the row stacks; nothing runs off the right edge.
            double right = ((Number) page.evaluate("() => Math.max(...[...document.querySelectorAll('.forward-row input, .forward-row select')]"
                    + ".map(e => e.getBoundingClientRect().right))")).doubleValue();
            assertThat(right).isLessThanOrEqualTo(390.0);
        }
    }
}
