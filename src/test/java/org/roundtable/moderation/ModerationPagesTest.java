package org.roundtable.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

@QuarkusTest
class ModerationPagesTest {

    @Inject
    Pool pool;

    @Test
    void shouldFlagThroughThePageAndDecideInTheReviewQueuePage() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Flag me through the page", "Opening");
        long post = TestData.reply("alice", thread, null, "A reply bob objects to.");

        Document flagPage = Pages.page("bob", "/posts/" + post + "/flag");
        Response missing = Pages.submit("bob", flagPage, "form[action='/posts/" + post + "/flag']",
                Map.of("reason", "other", "text", ""));
        assertThat(missing.statusCode()).isEqualTo(400);
        Document again = Jsoup.parse(missing.asString());
        assertThat(again.select("textarea#text").attr("aria-invalid")).isEqualTo("true");
        assertThat(again.select("#text-error").text()).contains("needs a few words");

        Response flagged = Pages.submit("bob", flagPage, "form[action='/posts/" + post + "/flag']",
                Map.of("reason", "inappropriate"));
        assertThat(flagged.statusCode()).isEqualTo(303);

        // Facilitator tools on the thread page are fran's, not bob's.
        assertThat(Pages.page("bob", "/threads/" + thread).select("section.facilitator-tools")).isEmpty();
        Document review = Pages.page("fran", "/review");
        assertThat(review.select("li.queue-item[data-post-id=" + post + "] .flags li").text()).contains("inappropriate", "Bob Brooks");
        assertThat(Pages.get("bob", "/review").statusCode()).isEqualTo(403);

        Response decided = Pages.submit("fran", review, "li.queue-item[data-post-id=" + post + "] form.decision",
                Map.of("action", "keep", "reason", "Within the rules"));
        assertThat(decided.statusCode()).isEqualTo(303);
        assertThat(Pages.page("fran", "/review").select("li.queue-item[data-post-id=" + post + "]")).isEmpty();

        Document audit = Pages.page("fran", "/audit?action=review.keep&actor=fran");
        assertThat(audit.select("table.audit tbody tr").text()).contains("review.keep", "Within the rules");
        assertThat(Pages.get("bob", "/audit").statusCode()).isEqualTo(403);
    }

    @Test
    void shouldLockAThreadFromItsPageAndKeepALateReplyInTheForm() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Lock me from the page", "Opening");
        Document bobsView = Pages.page("bob", "/threads/" + thread);

        Document threadPage = Pages.page("fran", "/threads/" + thread);
        Response locked = Pages.submit("fran", threadPage, "section.facilitator-tools form:has(input[value=locked])", Map.of());
        assertThat(locked.statusCode()).isEqualTo(303);
        assertThat(Pages.page("bob", "/threads/" + thread).select(".locked-notice").text()).contains("locked");

        Response late = Pages.submit("bob", bobsView, "form.composer", Map.of("body", "My late reply", "action", "post"));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(late.asString()).select("textarea#body").val()).isEqualTo("My late reply");
    }

    @Test
    void shouldSuspendFromTheProfilePageAndShowTheReasonWithTheDraftKept() {
        String username = Keycloak.uniqueUsername("suspend");
        Keycloak.createUser(username, "Sam", "Suspended");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A thread to write in", "Opening");
        Document threadPage = Pages.page(username, "/threads/" + thread);

        Document profile = Pages.page("ada", "/members/" + username);
        assertThat(Pages.page("bob", "/members/" + username).select("section.admin-tools")).isEmpty();
        Response suspended = Pages.submit("ada", profile, "form[action='/members/" + username + "/suspension']",
                Map.of("reason", "Cooling-off period"));
        assertThat(suspended.statusCode()).isEqualTo(303);

        Response refused = Pages.submit(username, threadPage, "form.composer", Map.of("body", "A draft I care about", "action", "post"));
        assertThat(refused.statusCode()).isEqualTo(403);
        Document form = Jsoup.parse(refused.asString());
        assertThat(form.select(".form-errors").text()).contains("Cooling-off period");
        assertThat(form.select("textarea#body").val()).isEqualTo("A draft I care about");
        assertThat(Pages.get(username, "/threads/" + thread).statusCode()).isEqualTo(200);
    }
}
