package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * A conversation as people have it, in two browsers: alice opens a channel and starts a thread through the composer;
 * bob replies; alice replies to bob's reply; bob replies to hers; alice marks bob's first reply as the answer. The
 * nesting is visible in the page, and the answer sits right under the question.
 */
@QuarkusTest
class ConversationBrowserTest {

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    @Test
    void shouldLetTwoMembersHoldANestedConversationAndMarkTheAnswer() {
        String channel = TestData.networkChannel(pool);
        Page alice = browser.newPage();
        Page bob = browser.newPage();
        try {
            // alice opens the channel from the channel list and starts a thread.
            Browser.logIn(alice, "/channels", "alice");
            alice.locator("li.channel[data-slug=" + channel + "] a").first().click();
            assertThat(alice.locator("h1")).hasText("Test " + channel);
            alice.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New thread")).click();
            // A title too short first: the form comes back with the field marked and nothing lost.
            alice.getByLabel("Title").fill("Help");
            alice.getByLabel("Body").fill("Our teachers lose **two periods** a week to coverage.");
            alice.getByLabel("Tags").fill("planning, staffing");
            alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post thread")).click();
            assertThat(alice.locator("#title")).hasAttribute("aria-invalid", "true");
            assertThat(alice.locator("#title-error")).containsText("5 to 200");
            assertThat(alice.getByLabel("Body")).hasValue("Our teachers lose **two periods** a week to coverage.");
            Browser.screenshot(alice, "conversation-composer-error");
            alice.getByLabel("Title").fill("How do you protect planning time?");
            alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview")).click();
            assertThat(alice.locator(".preview strong")).hasText("two periods");
            Browser.screenshot(alice, "conversation-composer-preview");
            alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post thread")).click();
            assertThat(alice.locator("h1")).hasText("How do you protect planning time?");
            String threadUrl = alice.url().replaceAll("#.*$", "");
            alice.navigate("/channels/" + channel);
            assertThat(alice.locator("li.thread .thread-title a")).hasText("How do you protect planning time?");
            Browser.screenshot(alice, "conversation-channel");

            // bob replies to the thread with the form at the bottom of the page.
            Browser.logIn(bob, threadUrl.substring(Browser.appUrl().length()), "bob");
            bob.getByLabel("Reply to the thread").fill("We built a **coverage rota** with the union.");
            bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post reply")).click();
            Locator bobsReply = bob.locator("article#post-2");
            assertThat(bobsReply).isVisible();

            // alice replies to bob's reply through its Reply link.
            alice.navigate(threadUrl);
            alice.locator("#post-2 > .post-main a.reply-link").click();
            assertThat(alice.locator("h1")).hasText("Reply to Bob Brooks");
            alice.getByLabel("Your reply").fill("Did the rota survive flu season?");
            alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post reply")).click();
            assertThat(alice.locator("#post-2 > .replies > #post-3")).isVisible();

            // bob replies to alice's reply: a reply to a reply.
            bob.navigate(threadUrl);
            bob.locator("#post-3 > .post-main a.reply-link").click();
            bob.getByLabel("Your reply").fill("Mostly: we kept two floaters in reserve.");
            bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post reply")).click();
            assertThat(bob.locator("#post-2 > .replies > #post-3 > .replies > #post-4")).isVisible();

            // alice marks bob's first reply as the answer.
            alice.navigate(threadUrl);
            alice.locator("#post-2 > .post-main form.answer button").click();
            Locator accepted = alice.locator("#post-1 + section.accepted-answer article.post.accepted");
            assertThat(accepted).isVisible();
            assertThat(accepted.locator(".body")).hasText("We built a coverage rota with the union.");
            assertThat(alice.locator("section.accepted-answer h2")).hasText("Accepted answer");

            // The nesting, as the page shows it: each reply inside the one it answers, one level deeper.
            assertThat(alice.locator(".conversation > article.post")).hasCount(1);
            assertThat(alice.locator("#post-2")).hasAttribute("data-depth", "1");
            assertThat(alice.locator("#post-2 > .replies > #post-3")).hasAttribute("data-depth", "2");
            assertThat(alice.locator("#post-3 > .replies > #post-4")).hasAttribute("data-depth", "3");
            double question = alice.locator("#post-1 > .post-main").boundingBox().x;
            double first = alice.locator("#post-2 > .post-main").boundingBox().x;
            double second = alice.locator("#post-3 > .post-main").boundingBox().x;
            double third = alice.locator("#post-4 > .post-main").boundingBox().x;
            assertThat(first).isEqualTo(question);
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            Browser.screenshot(alice, "conversation");
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(alice, "conversation-alice-failure");
            Browser.screenshot(bob, "conversation-bob-failure");
            throw e;
        } finally {
            alice.context().close();
            bob.context().close();
        }
    }
}
