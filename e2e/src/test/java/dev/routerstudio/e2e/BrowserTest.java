package dev.routerstudio.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starts Debian's chromium through Playwright once per test class. Outside CI a machine without
 * chromium skips these tests; in CI (CI=true) a missing browser is a failure.
 */
public abstract class BrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    protected static Playwright playwright;
    protected static Browser browser;

    @BeforeAll
    static void launchBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail("chromium is missing at " + CHROMIUM + " — bin/setup installs it");
            }
            assumeTrue(false, "chromium is not installed; bin/test installs it");
        }
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    /** Logs in through the real login page as the test admin (studio.admin-password in pom.xml). */
    protected static void login(com.microsoft.playwright.Page page, String base) {
        page.navigate(base + "/login");
        page.fill("#username", "admin");
        page.fill("#password", "test-admin-password");
        page.click("#login");
        page.waitForURL(java.util.regex.Pattern.compile(".*/profiles(\\?.*)?$"));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }
}
