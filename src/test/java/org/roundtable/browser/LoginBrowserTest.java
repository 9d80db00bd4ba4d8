package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.LocalStackResource;

@QuarkusTest
class LoginBrowserTest {

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Test
    void shouldLogAliceInThroughKeycloakAndShowHerNameOnMe() {
        Page page = browser.newPage();
        try {
            page.navigate("/me");
            // The real Keycloak login page, not a form of the app's.
            assertThat(page.url()).startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/");
            Browser.logIn(page, "/me", "alice");
            assertThat(page.url()).isEqualTo(Browser.appUrl() + "/me");
            assertThat(page.locator("h1")).hasText("Alice Alvarez");
            assertThat(page.locator("dd.username")).hasText("alice");
            assertThat(page.locator("header .nav-me")).hasText("Alice Alvarez");

            page.locator("header a[href='/logout']").click();
            // Keycloak's end-session sends the browser back to the landing page (with a state parameter).
            page.waitForURL(url -> url.startsWith(Browser.appUrl() + "/") && !url.contains("/me"));
            assertThat(page.locator("header .nav-login")).isVisible();
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "login-alice");
            throw e;
        } finally {
            page.context().close();
        }
    }
}
