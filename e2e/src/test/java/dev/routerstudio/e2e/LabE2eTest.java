package dev.routerstudio.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.routerstudio.RouterStudioApplication;
import dev.routerstudio.build.BuildService;
import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.LabService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Boot a build from its page, watch the kernel's first line and the WAN check pass, type into the router. */
@SpringBootTest(classes = RouterStudioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LabE2eTest extends BrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    BuildService builds;

    @Autowired
    LabService labs;

    @Autowired
    dev.routerstudio.profile.ProfileService profiles;

    @Autowired
    dev.routerstudio.account.AccountService accounts;

    /** The example's next version (jq on PATH as well), built for the upgrade from the page. */
    long nextBuild() throws Exception {
        dev.routerstudio.profile.ProfileSpec p = profiles.specWithSecrets("example-pppoe");
        java.util.List<String> packages = new java.util.ArrayList<>(p.packages());
        packages.add("jq");
        profiles.create(new dev.routerstudio.profile.ProfileSpec("example-pppoe-next", p.description(), p.hostname(), p.target(),
                p.interfaces(), p.wan(), p.ipv6(), packages, p.services(), p.settings(), p.files(), p.slim()));
        return builds.submit("example-pppoe-next", "admin").build().getId();
    }

    /** The router console's whole buffer on a page (only the visible rows are in the DOM). */
    static final String ROUTER_TEXT = "(() => { const b = window.studioConsoles.router.term.buffer.active; let s = '';"
            + " for (let i = 0; i < b.length; i++) s += b.getLine(i).translateToString(true) + '\\n'; return s; })()";

    @Test
    void bootFromThePageWatchTheConsoleAndType() throws Exception {
        long id = builds.submit("example-pppoe", "admin").build().getId();
        Instant deadline = Instant.now().plusSeconds(300);
        while (!builds.get(id).getStatus().finished()) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(200);
        }
        assertThat(builds.get(id).getStatus()).isEqualTo(BuildStatus.SUCCEEDED);
        // built while the lab boots (one build at a time; the queue is free now)
        long next = nextBuild();

        try (BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1400, 900))) {
            Page page = context.newPage();
            page.onDialog(d -> d.accept()); // the page's confirm() for Factory reset and Stop
            String base = "http://localhost:" + port;
            login(page, base);
            page.navigate(base + "/builds/" + id);
            // quick: only the checks that it connects — LabApiTest's verify proves the others on the same example
            page.check("#quick-boot");
            page.click("#boot-lab");
            assertThat(page).hasURL(Pattern.compile(".*/labs/[0-9a-f]+$"));
            String lab = page.url().substring(page.url().lastIndexOf('/') + 1);
            try {
                // the kernel's first line, read from the terminal's buffer
                page.waitForFunction("() => window.studioConsoles && window.studioConsoles.router && " + ROUTER_TEXT + ".includes('Linux version')",
                        null, new Page.WaitForFunctionOptions().setTimeout(60_000));
                assertThat(page.locator("[data-check^=wan-up] .check-status")).hasText("passed",
                        new LocatorAssertions.HasTextOptions().setTimeout(120_000));
                assertThat(page.locator("[data-check=boot]")).hasClass(Pattern.compile("check-passed"));
                assertThat(page.locator("[data-check=persist]")).hasCount(0);
                assertThat(page.locator("[data-check^=link-loss]")).hasCount(0);
                assertThat(page.locator("[data-check=path]")).hasCount(0);
                assertThat(page.locator("[data-check=wan-closed]")).hasCount(0);

                // type once the checks are done: they type into the same console
                page.waitForFunction("() => [...document.querySelectorAll('.check-item')].every(i =>"
                        + " !i.classList.contains('check-pending') && !i.classList.contains('check-running'))", null,
                        new Page.WaitForFunctionOptions().setTimeout(420_000));
                page.locator("#terminal").click();
                page.keyboard().type("echo studio-$((6*7))\n");
                assertThat(page.locator("#terminal .xterm-rows")).containsText("studio-42",
                        new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("lab.png")));

                // a second viewer sees the scrollback and the live console too; switching to the ISP's
                // console and back resumes the router's where it was (nothing twice)
                Page second = context.newPage();
                second.navigate(base + "/labs/" + lab);
                assertThat(second.locator("#terminal .xterm-rows")).containsText("studio-42",
                        new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
                second.click("[data-node=isp]");
                assertThat(second.locator("#terminal .terminal-box[data-node=isp] .xterm-rows")).not().isEmpty(
                        new LocatorAssertions.IsEmptyOptions().setTimeout(15_000));
                second.click("[data-node=router]");
                // live at once, though the router is quiet: the stream opens before its first event (a
                // 15 s keep-alive would be the first write otherwise)
                assertThat(second.locator("#console-state")).hasText("live", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
                assertThat(((String) second.evaluate(ROUTER_TEXT)).split("studio-42", -1)).as("studio-42 once in the router's console").hasSize(2);
                second.setViewportSize(390, 844);
                second.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("lab-phone.png")).setFullPage(true));
                linksOnThePage(page, second);
                // two lab pages open, and the rest of the studio still answers at once
                Page third = context.newPage();
                third.navigate(base + "/builds/" + id, new Page.NavigateOptions().setTimeout(10_000));
                third.close();
                second.close();

                // Factory reset from the page: the router wipes its writable layer and reboots in the same console
                page.click("#factory-reset");
                assertThat(page.locator(".notice")).containsText("Factory reset");
                page.waitForFunction("() => window.studioConsoles && window.studioConsoles.router && "
                        + ROUTER_TEXT + ".includes('formatting the writable store /dev/vda (factory reset)')", null,
                        new Page.WaitForFunctionOptions().setTimeout(120_000));

                // Upgrade from the page, once the checks after the reset are done: the router powers off and
                // boots the next build on its store; the checks list becomes the upgrade's and the new build's.
                page.waitForFunction("() => [...document.querySelectorAll('.check-item')].every(i =>"
                        + " !i.classList.contains('check-pending') && !i.classList.contains('check-running'))", null,
                        new Page.WaitForFunctionOptions().setTimeout(300_000));
                Instant built = Instant.now().plusSeconds(300);
                while (!builds.get(next).getStatus().finished()) {
                    assertThat(Instant.now()).isBefore(built);
                    Thread.sleep(200);
                }
                assertThat(builds.get(next).getStatus()).isEqualTo(BuildStatus.SUCCEEDED);
                page.navigate(base + "/labs/" + lab);
                page.selectOption("#upgrade-build", Long.toString(next));
                page.click("#upgrade");
                assertThat(page.locator(".notice")).containsText("Upgrade to build #" + next);
                assertThat(page.locator("a[href='/builds/" + next + "']")).hasCount(1);
                assertThat(page.locator("#checks li").first()).hasAttribute("data-check", "upgrade");
                page.waitForFunction("() => window.studioConsoles && window.studioConsoles.router && "
                        + ROUTER_TEXT + ".includes('initramfs: upgrade: new firmware on the writable store')", null,
                        new Page.WaitForFunctionOptions().setTimeout(180_000));
                assertThat(page.locator("[data-check=upgrade] .check-status")).hasText("passed",
                        new LocatorAssertions.HasTextOptions().setTimeout(240_000));
                page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("lab-upgrade.png")));

                // ... and back to the first build over REST, as a script would, once the new build's checks are done
                page.waitForFunction("() => [...document.querySelectorAll('.check-item')].every(i =>"
                        + " !i.classList.contains('check-pending') && !i.classList.contains('check-running'))", null,
                        new Page.WaitForFunctionOptions().setTimeout(300_000));
                assertThat(labs.status(lab).checks()).allSatisfy(c -> assertThat(c.status())
                        .as(c.name() + ": " + c.detail()).isIn(dev.routerstudio.lab.CheckStatus.PASSED, dev.routerstudio.lab.CheckStatus.SKIPPED));
                String token = accounts.issueToken("admin", "lab-e2e").secret();
                long before = labs.status(lab).nodes().get(0).consoleLastId();
                java.net.http.HttpResponse<String> back = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(base + "/api/v1/labs/" + lab + "/upgrade")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"buildId\": " + id + "}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
                tools.jackson.databind.JsonNode answer = tools.jackson.databind.json.JsonMapper.builder().build().readTree(back.body());
                assertThat(answer.get("buildId").asString()).isEqualTo(Long.toString(id));
                assertThat(answer.get("checks").get(0).get("name").asString()).isEqualTo("upgrade");
                // the first build boots on the store: the router's console after the call says so
                StringBuilder after = new StringBuilder();
                long cursor = before;
                Instant booted = Instant.now().plusSeconds(180);
                while (!after.toString().contains("initramfs: upgrade: new firmware on the writable store")) {
                    assertThat(Instant.now()).as("the router booted build " + id + " on its store: " + after).isBefore(booted);
                    dev.routerstudio.lab.ConsoleBuffer.Batch b = labs.readConsole(lab, "router", cursor, java.time.Duration.ofSeconds(2));
                    b.events().forEach(e -> after.append(e.text()));
                    cursor = b.lastId(cursor);
                }

                page.navigate(base + "/labs/" + lab);
                page.setViewportSize(1400, 900);
                page.click("#stop-lab");
                assertThat(page).hasURL(Pattern.compile(".*/labs$"));
                assertThat(labs.has(lab)).isFalse();
            } finally {
                // whatever failed above, no QEMU is left behind (and that failure is the one reported)
                if (labs.has(lab)) {
                    labs.stop(lab);
                }
            }
        }
    }

    /** The links section: live summary, counters, Down/Up, a refused impairment, at desktop and phone width. */
    static void linksOnThePage(Page page, Page phone) {
        var access = page.locator("[data-link=access]");
        assertThat(access.locator(".frame-list")).containsText("PADI", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
        assertThat(access.locator(".frame-list")).containsText("PADO ac isp");
        assertThat(access.locator(".link-ends")).hasText("router ↔ isp");
        assertThat(access.locator(".link-pcap")).hasAttribute("href", Pattern.compile(".*/links/access/pcap$"));
        assertThat(page.locator("[data-link=lan] .frame-list")).containsText("DHCP");
        access.locator(".link-down").click();
        assertThat(access.locator(".link-state")).hasText("down", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        // the router's LCP echo requests (every 10 s) now end at the relay, marked "down"
        assertThat(access.locator(".frame-list .f-fate").last()).hasText("down", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        access.locator("input[name=lossPercent]").fill("200");
        access.locator(".link-impair button[type=submit]").click();
        assertThat(access.locator(".link-error")).containsText("lossPercent must be a number from 0 to 100");
        access.locator("input[name=lossPercent]").fill("10");
        access.locator("input[name=delayMs]").fill("50");
        access.locator(".link-impair button[type=submit]").click();
        assertThat(access.locator(".link-impairment")).containsText("10 % loss, 50 ms delay");
        page.locator(".links-section").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("lab-links.png")));
        phone.reload();
        phone.locator("[data-link=access] .frame-list li").first().waitFor();
        phone.locator(".links-section").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("lab-links-phone.png")));
        access.locator(".link-up").click();
        assertThat(access.locator(".link-state")).hasText("up", new LocatorAssertions.HasTextOptions().setTimeout(10_000));
        access.locator("input[name=lossPercent]").fill("0");
        access.locator("input[name=delayMs]").fill("0");
        access.locator(".link-impair button[type=submit]").click();
        assertThat(access.locator(".link-impairment")).hasText("clean line: no loss, no delay");
    }
}
