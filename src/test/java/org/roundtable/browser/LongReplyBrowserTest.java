package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * Issue 13, section 2, in a real browser: a member writes a long reply in accented and CJK text (30,000 characters,
 * some 80,000 bytes of UTF-8 and over 200,000 characters as the form sends them) and posts it through the page's form.
 * It arrives whole: the thread page shows it as it was typed.
 */
@QuarkusTest
class LongReplyBrowserTest {

    private static final String UNIT = "Schulleitung café naïve déjà-vu Ökonomie 学校の校長と教頭 교장 선생님 ";

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    @Test
    void shouldPostAReplyOfThirtyThousandAccentedAndCjkCharactersThroughThePageFormAndShowItIntact() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Write as much as you need",
                "Long answers are welcome here.");
        String text = UNIT.repeat(30_000 / UNIT.length() + 1).substring(0, 29_999) + "。";
        Page bob = browser.newPage();
        try {
            Browser.logIn(bob, "/threads/" + thread, "bob");
            bob.getByLabel("Reply to the thread").fill(text);
            bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post reply")).click();
            Locator reply = bob.locator("article#post-2");
            assertThat(reply).isVisible();
            assertThat(bob.url()).contains("/threads/" + thread);
            String shown = reply.locator(".body").first().textContent();
            assertThat(shown.strip()).isEqualTo(text.strip());
            assertThat(pool.preparedQuery("select source from post where thread_id = $1 and number = 2")
                    .execute(Tuple.of(thread)).await().indefinitely().iterator().next().getString("source")).isEqualTo(text);
            Browser.screenshot(bob, "long-reply");
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(bob, "long-reply-failure");
            throw e;
        } finally {
            bob.context().close();
        }
    }
}
