package org.roundtable.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * Keycloak's login page carries Roundtable's look (issue 19): the realm's login theme is deploy/keycloak/themes'
 * "roundtable" (Keycloak's own page, with Roundtable's stylesheet on top), and its form still logs a member in.
 */
@QuarkusTest
class LoginThemeBrowserTest {

    @Test
    void shouldShowKeycloaksLoginPageInRoundtablesLookAndLogTheMemberIn() {
        String member = TestData.member("theme");
        Page page = Sessions.browser().newPage();
        try {
            page.navigate("/me");
            assertThat(page.url()).startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/");
            assertThat(page.locator("link[rel=stylesheet][href*='/login/roundtable/css/roundtable.css']").count())
                    .as("Roundtable's stylesheet on the login page").isEqualTo(1);
            // Roundtable's accent on the button, its header's navy behind the page
            assertThat(page.locator("#kc-login").evaluate("b => getComputedStyle(b).backgroundColor"))
                    .isEqualTo("rgb(31, 95, 168)");
            assertThat(page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor"))
                    .isEqualTo("rgb(247, 248, 250)");
            Browser.screenshot(page, "login-theme");
            Browser.logIn(page, "/me", member);
            assertThat(page.url()).isEqualTo(Browser.appUrl() + "/me");
            assertThat(page.locator("dd.username").textContent()).isEqualTo(member);
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "login-theme-failed");
            throw e;
        } finally {
            page.context().close();
        }
    }
}
