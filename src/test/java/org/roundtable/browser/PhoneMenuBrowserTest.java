package org.roundtable.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * The header on a phone: the links fold into a menu that opens without JavaScript (details/summary), and on a wide
 * screen they stand in a row, without JavaScript too.
 */
@QuarkusTest
class PhoneMenuBrowserTest {

    /** A page of a browser with JavaScript off, logged in as the member (their session's cookies). */
    private static Page withoutJavaScript(String username, int width, int height) {
        BrowserContext context = Sessions.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(Browser.appUrl()).setJavaScriptEnabled(false).setViewportSize(width, height));
        context.setDefaultTimeout(20_000);
        Map<String, String> cookies = Sessions.cookies(username);
        context.addCookies(cookies.entrySet().stream()
                .map(c -> new Cookie(c.getKey(), c.getValue()).setUrl(Browser.appUrl())).toList());
        return context.newPage();
    }

    @Test
    void shouldFoldTheHeaderIntoAMenuThatOpensWithoutJavaScriptOnAPhone() {
        String member = TestData.member("phone");
        Page page = withoutJavaScript(member, 390, 844);
        try {
            page.navigate("/channels");
            assertThat(page.locator("details.site-menu > summary").isVisible()).isTrue();
            assertThat(page.locator(".site-nav a.nav-notifications").isVisible()).isFalse();
            page.locator("details.site-menu > summary").click();
            assertThat(page.locator(".site-nav a.nav-notifications").isVisible()).isTrue();
            Browser.screenshot(page, "phone-menu-open");
            page.locator(".site-nav a.nav-notifications").click();
            page.waitForURL(url -> url.endsWith("/notifications"));
            assertThat(page.locator("h1").textContent()).isEqualTo("Notifications");
            // every link of the open menu is a comfortable target
            page.locator("details.site-menu > summary").click();
            for (Object height : (List<?>) page.evaluate(
                    "() => [...document.querySelectorAll('.site-nav a')].map(a => a.getBoundingClientRect().height)")) {
                assertThat(((Number) height).doubleValue()).isGreaterThanOrEqualTo(24);
            }
        } finally {
            page.context().close();
        }
    }

    @Test
    void shouldShowTheHeaderLinksInARowOnAWideScreenWithoutJavaScript() {
        String member = TestData.member("wide");
        Page page = withoutJavaScript(member, 1280, 800);
        try {
            page.navigate("/channels");
            assertThat(page.locator("details.site-menu > summary").isVisible()).isFalse();
            assertThat(page.locator(".site-nav a.nav-notifications").isVisible()).isTrue();
            assertThat(page.locator(".site-nav a[href='/logout']").isVisible()).isTrue();
            double channels = page.locator(".site-nav a[href='/channels']").boundingBox().y;
            double logout = page.locator(".site-nav a[href='/logout']").boundingBox().y;
            assertThat(logout).as("one row").isEqualTo(channels);
        } finally {
            page.context().close();
        }
    }
}
