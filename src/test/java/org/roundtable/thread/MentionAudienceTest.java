package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Issue 19, "Who will see this": a mention of someone who cannot see the thread (a member outside a cohort, in the
 * cohort's channel) is flagged in the composer's preview, and is posted as plain text, not as a link, and notifies
 * nobody; a mention of someone who can see it links as before.
 */
@QuarkusTest
class MentionAudienceTest {

    @Inject
    Pool pool;

    @Test
    void shouldFlagAMentionOfSomeoneWhoCannotSeeTheThreadInThePreviewAndPostItAsPlainText() {
        String facilitator = TestData.member("mfac");
        String insider = TestData.member("minside");
        String outsider = TestData.member("moutside");
        String cohort = TestData.cohort(pool, facilitator, insider);
        long thread = TestData.thread(facilitator, cohort, "Who runs the staff survey?", "Looking for a volunteer");
        String body = "@" + outsider + " and @" + insider + ", could you help?";
        String in = insider.toLowerCase(Locale.ROOT);
        String out = outsider.toLowerCase(Locale.ROOT);

        Response preview = Pages.submit(facilitator, Pages.page(facilitator, "/threads/" + thread), "form.composer",
                Map.of("body", body, "action", "preview"));
        assertThat(preview.statusCode()).isEqualTo(200);
        Document previewed = Jsoup.parse(preview.asString());
        Element flagged = previewed.selectFirst(".preview .unseen-mentions li[data-username=" + out + "]");
        assertThat(flagged).isNotNull();
        assertThat(flagged.text()).isEqualTo("@" + out + " cannot see this thread and will not be notified: the mention is"
                + " posted as plain text, not as a link.");
        assertThat(previewed.select(".preview .unseen-mentions li")).hasSize(1);
        assertThat(previewed.select(".preview .body a.mention").eachAttr("href")).containsExactly("/members/" + in);
        assertThat(previewed.selectFirst(".preview .body").text()).contains("@" + outsider);

        // The same text in a new thread of the cohort's channel: the same flag.
        Response newThread = Pages.submit(facilitator, Pages.page(facilitator, "/channels/" + cohort + "/new"),
                "form.composer", Map.of("title", "Survey volunteers", "body", body, "action", "preview"));
        assertThat(Jsoup.parse(newThread.asString()).select(".unseen-mentions li").eachAttr("data-username"))
                .containsExactly(out);

        Response posted = Pages.submit(facilitator, Pages.page(facilitator, "/threads/" + thread), "form.composer",
                Map.of("body", body, "action", "post"));
        assertThat(posted.statusCode()).isEqualTo(303);
        Document page = Pages.page(facilitator, "/threads/" + thread);
        Element post = page.select(".conversation .post .body").last();
        assertThat(post.text()).contains("@" + outsider, "@");
        assertThat(post.select("a.mention").eachAttr("href")).containsExactly("/members/" + in);
        assertThat(post.select("a[href=/members/" + out + "], a[href=/members/" + outsider + "]")).isEmpty();

        // Told: the insider; the outsider has nothing.
        assertThat(kinds(insider)).contains("mention");
        assertThat(kinds(outsider)).doesNotContain("mention");

        // A network channel: everyone sees it, nobody is flagged.
        String network = TestData.networkChannel(pool);
        long open = TestData.thread(facilitator, network, "Open to the network", "Anyone?");
        Response networkPreview = Pages.submit(facilitator, Pages.page(facilitator, "/threads/" + open), "form.composer",
                Map.of("body", body, "action", "preview"));
        Document networkPreviewed = Jsoup.parse(networkPreview.asString());
        assertThat(networkPreviewed.select(".unseen-mentions")).isEmpty();
        assertThat(networkPreviewed.select(".preview .body a.mention")).hasSize(2);
    }

    private static java.util.List<String> kinds(String user) {
        return given().auth().oauth2(Keycloak.token(user)).get("/api/notifications").then().statusCode(200).extract()
                .jsonPath().getList("notifications.kind", String.class);
    }
}
