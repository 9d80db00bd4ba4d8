package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Media;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/** A cohort's facilitator opens the insight from the cohort page, reads it, and prints it for a check-in. */
@QuarkusTest
class InsightBrowserTest {

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    @Test
    void shouldOpenTheCohortInsightAsAFacilitatorAndPrintItWithoutTheNavigation() {
        String facilitator = TestData.member("bifac");
        String member = TestData.member("bimem");
        String cohort = TestData.cohort(pool, facilitator, member);
        long thread = TestData.thread(member, cohort, "Is anyone else short of substitutes?", "We are.");
        pool.preparedQuery("update member set last_seen_on = date '2020-01-01' where username = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(member)).await().indefinitely();
        Page page = browser.newPage();
        try {
            Browser.logIn(page, "/cohorts/" + cohort, facilitator);
            page.locator(".insight-link a").click();
            page.waitForURL(Browser.appUrl() + "/cohorts/" + cohort + "/insights");
            assertThat(page.locator("h1")).hasText("Insight: Cohort " + cohort);
            assertThat(page.locator("figure.chart svg[role=img]")).hasCount(6);
            assertThat(page.locator("#chart-new-threads svg rect.bar.current")).hasCount(1);
            assertThat(page.locator("table.unanswered tr[data-thread='" + thread + "'] a"))
                    .hasText("Is anyone else short of substitutes?");
            assertThat(page.locator(".inactive-members li[data-username='" + member + "']")).isVisible();
            assertThat(page.locator("script:not([src])")).hasCount(0);

            page.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.PRINT));
            assertThat(page.locator(".site-header")).isHidden();
            assertThat(page.locator("a.csv").first()).isHidden();
            assertThat(page.locator("#chart-new-threads svg")).isVisible();
            assertThat(page.locator("#chart-new-threads table.chart-data")).isVisible();
            assertThat(page.pdf()).isNotEmpty();
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "insight-facilitator");
            throw e;
        } finally {
            page.context().close();
        }
    }
}
