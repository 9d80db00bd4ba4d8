package org.roundtable.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A real browser for journeys a person makes: Playwright for Java driving Debian's chromium (the browser download is
 * skipped; .ci/run installs chromium when it is missing). One per test class; screenshots on failure.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ROUNDTABLE_CHROMIUM", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    public Browser() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("No chromium at " + CHROMIUM + ": install it (apt-get install chromium) "
                    + "or point ROUNDTABLE_CHROMIUM at one. .ci/run installs it.");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage")));
    }

    /** A fresh browser profile: its own cookies, as a different person at another computer. */
    public Page newPage() {
        BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(appUrl()));
        context.setDefaultTimeout(20_000);
        return context.newPage();
    }

    /** A fresh browser profile with options of its own (a viewport, JavaScript off). */
    public BrowserContext newContext(com.microsoft.playwright.Browser.NewContextOptions options) {
        return browser.newContext(options);
    }

    public static String appUrl() {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        return "http://localhost:" + port;
    }

    /** Logs in through Keycloak's real login form, starting from an app page that needs a login. */
    public static void logIn(Page page, String path, String username) {
        page.navigate(path);
        page.locator("#username").fill(username);
        page.locator("#password").fill(Keycloak.PASSWORD);
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(appUrl()));
    }

    public static void screenshot(Page page, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
        } catch (Exception ignored) {
            // a screenshot is a help for the reader of a failure, never a failure of its own
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
