package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * The journey of issue 19, on a phone (390 px wide) in a real browser: a member asks their cohort through "Ask the
 * cohort", a facilitator hides a reply with a reason, and the reply's author sees why. No page on the way scrolls
 * sideways.
 */
@QuarkusTest
class PhoneJourneyBrowserTest {

    static final int WIDTH = 390;

    @Inject
    Pool pool;

    private final List<Page> pages = new ArrayList<>();

    /** A phone of the person's own, logged in through Keycloak's form at the path. */
    private Page phone(String username, String path) {
        BrowserContext context = Sessions.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(Browser.appUrl()).setViewportSize(WIDTH, 844).setIsMobile(true).setHasTouch(true));
        context.setDefaultTimeout(20_000);
        Page page = context.newPage();
        pages.add(page);
        Browser.logIn(page, path, username);
        return page;
    }

    private static void fitsTheScreen(Page page) {
        Number width = (Number) page.evaluate("() => document.documentElement.scrollWidth");
        assertThat(width.intValue()).as("width of " + page.url()).isLessThanOrEqualTo(WIDTH);
    }

    @Test
    void shouldLetAMemberAskTheirCohortAndTellTheAuthorOfAHiddenReplyWhyOnAPhone() {
        String facilitator = TestData.member("jfac");
        String asker = TestData.member("jask");
        String replier = TestData.member("jrep");
        String cohort = TestData.cohort(pool, facilitator, asker, replier);
        String reason = "It names a pupil";
        try {
            // The member asks the cohort: from their cohorts, to the cohort, "Ask the cohort", the composer.
            Page asking = phone(asker, "/cohorts");
            fitsTheScreen(asking);
            asking.locator(".cohort-list li[data-slug='" + cohort + "'] a, li.cohort[data-slug='" + cohort + "'] a").first().click();
            asking.waitForURL(url -> url.endsWith("/cohorts/" + cohort));
            fitsTheScreen(asking);
            asking.locator("a.ask-cohort-link").click();
            asking.waitForURL(url -> url.endsWith("/channels/" + cohort + "/new"));
            fitsTheScreen(asking);
            asking.locator("#title").fill("How do you cover for absent staff?");
            asking.locator("#body").fill("We run out of cover by Wednesday. What works for you?");
            asking.locator("form.composer button[value=post]").click();
            asking.waitForURL(url -> url.matches(".*/threads/\\d+.*"));
            assertThat(asking.locator("h1")).containsText("How do you cover for absent staff?");
            fitsTheScreen(asking);
            long thread = Long.parseLong(asking.url().replaceAll(".*/threads/(\\d+).*", "$1"));

            long reply = TestData.reply(replier, thread, null, "Ask the Year 6 pupil Sam Doe's mother, she covers for us.");

            // The facilitator hides the reply, with a reason, from the thread page.
            Page moderating = phone(facilitator, "/threads/" + thread);
            fitsTheScreen(moderating);
            String post = "[data-post-id='" + reply + "']";
            moderating.locator(post + " details.confirm:has(form[action$='/hide']) > summary").click();
            moderating.locator(post + " form[action$='/hide'] input[name=reason]").fill(reason);
            fitsTheScreen(moderating);
            moderating.locator(post + " form[action$='/hide'] button[type=submit]").click();
            moderating.waitForLoadState();
            assertThat(moderating.locator(post + " form[action$='/unhide']")).isVisible();

            // The author of the reply sees why: the notification, with the reason, and the post's notice.
            Page told = phone(replier, "/notifications");
            fitsTheScreen(told);
            var item = told.locator("li[data-kind=moderation][data-target='/posts/" + reply + "']");
            assertThat(item.locator(".what a")).containsText("A facilitator hid your post");
            assertThat(item.locator(".reason q")).hasText(reason);
            item.locator(".what a").click();
            told.waitForURL(url -> url.contains("/threads/" + thread));
            assertThat(told.locator(post + " .deleted-note, " + post + " .hidden-label").first()).isVisible();
            fitsTheScreen(told);
            Browser.screenshot(told, "phone-journey-told");
        } catch (RuntimeException | AssertionError e) {
            for (int i = 0; i < pages.size(); i++) {
                Browser.screenshot(pages.get(i), "phone-journey-" + i);
            }
            throw e;
        } finally {
            pages.forEach(p -> p.context().close());
        }
    }
}
