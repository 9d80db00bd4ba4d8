package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * A principal remembers "that thread about lunch duty": she types it in the search box in the header of the page she
 * is on, reads the results, and opens the reply that matched.
 */
@QuarkusTest
class SearchBrowserTest {

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    @Test
    void shouldSearchFromTheHeaderAndOpenTheMatchingPost() {
        String channel = TestData.networkChannel(pool);
        String word = "lunchduty" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "x");
        long thread = TestData.thread("bob", channel, "Who covers the cafeteria?", "Looking for ideas on supervision.");
        long reply = TestData.reply("carmen", thread, null, "We rotate " + word + " weekly between the deputies.");
        Page alice = browser.newPage();
        try {
            Browser.logIn(alice, "/channels", "alice");
            alice.locator("header #site-search").fill(word);
            alice.locator("header #site-search").press("Enter");
            alice.waitForURL(Pattern.compile(".*/search\\?q=" + word + "$"));
            assertThat(alice.locator("h1")).hasText("Search");
            assertThat(alice.locator("#search-q")).hasValue(word);
            assertThat(alice.locator("li.search-result")).hasCount(1);
            assertThat(alice.locator("li.search-result .snippet mark")).hasText(word);
            assertThat(alice.locator("li.search-result a.channel")).hasText("Test " + channel);
            Browser.screenshot(alice, "search-results");
            alice.locator("li.search-result h2 a").click();
            alice.waitForURL(Pattern.compile(".*/threads/" + thread + ".*"));
            assertThat(alice.locator("h1")).hasText("Who covers the cafeteria?");
            assertThat(alice.locator("article[data-post-id=\"" + reply + "\"]")).containsText(word);
            Browser.screenshot(alice, "search-opened-result");
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(alice, "search-failure");
            throw e;
        } finally {
            alice.context().close();
        }
    }
}
