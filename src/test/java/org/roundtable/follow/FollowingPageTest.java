package org.roundtable.follow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * "What I follow" and the index of tags (issue 19): the member's threads, channels and tags with their level and a
 * compact control to change it, the levels explained in plain words beside the controls, and every tag with the number
 * of threads the viewer may see.
 */
@QuarkusTest
class FollowingPageTest {

    @Inject
    Pool pool;

    private static void follow(String member, String path, String level) {
        given().auth().oauth2(Keycloak.token(member)).contentType(ContentType.JSON).body(Map.of("level", level))
                .put(path).then().statusCode(200);
    }

    private static Element row(Document page, String kind, String key) {
        Element row = page.selectFirst("li.follow-row[data-kind=" + kind + "][data-key=" + key + "]");
        assertThat(row).as(kind + " " + key + " on What I follow").isNotNull();
        return row;
    }

    @Test
    void shouldListWhatTheMemberFollowsWithTheirLevelsAndLetThemChangeOne() {
        String member = TestData.member("follower");
        String channel = TestData.networkChannel(pool);
        String tag = "fol-" + Long.toHexString(System.nanoTime()).substring(6);
        long thread = TestData.threadWithTags("bob", channel, "Timetabling the spring term", "How do you do it?", tag);
        follow(member, "/api/threads/" + thread + "/follow", "watching");
        follow(member, "/api/channels/" + channel + "/follow", "muted");
        follow(member, "/api/tags/" + tag + "/follow", "tracking");
        long replied = TestData.thread("bob", channel, "Lunch duty rotas", "Who covers lunch?");
        TestData.reply(member, replied, null, "We rotate weekly.");

        Document page = Pages.page(member, "/following");
        assertThat(page.select("h1").text()).isEqualTo("What I follow");
        Element watched = row(page, "thread", String.valueOf(thread));
        assertThat(watched.select("a").first().text()).isEqualTo("Timetabling the spring term");
        assertThat(watched.select("a").first().attr("href")).isEqualTo("/threads/" + thread);
        assertThat(watched.select("option[selected]").attr("value")).isEqualTo("watching");
        // the select is labelled, and each row's control has its own id
        String id = watched.select("select").attr("id");
        assertThat(page.select("label[for=" + id + "]").text()).contains("Timetabling the spring term");
        assertThat(page.select("select[id=" + id + "]")).hasSize(1);
        assertThat(row(page, "channel", channel).select("option[selected]").attr("value")).isEqualTo("muted");
        assertThat(row(page, "tag", tag).select("option[selected]").attr("value")).isEqualTo("tracking");
        assertThat(row(page, "tag", tag).select("a").first().attr("href")).isEqualTo("/tags/" + tag);
        // a level the member did not choose says where it came from
        Element tracked = row(page, "thread", String.valueOf(replied));
        assertThat(tracked.select("option[selected]").attr("value")).isEqualTo("tracking");
        assertThat(tracked.select(".follow-why").text()).isEqualTo("set when you replied");

        // the levels in plain words, beside the controls; muting says exactly what it does
        Element levels = page.selectFirst("details.follow-levels");
        assertThat(levels).isNotNull();
        assertThat(levels.select("dt").eachText()).containsExactly("Watching", "Tracking", "Normal", "Muted");
        assertThat(levels.select("dt:contains(Muted) + dd").text()).isEqualTo("Nothing from it in your digest, not even "
                + "replies to you; it never counts as unread; no notification of new threads or posts. Replies to you and "
                + "mentions of you still come to your notifications.");

        // changing a level from the list comes back to the list, changed
        Response changed = Pages.submit(member, page, "li.follow-row[data-kind=thread][data-key=" + thread + "] form",
                Map.of("level", "normal"));
        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(changed.header("Location")).endsWith("/following#thread");
        assertThat(row(Pages.page(member, "/following"), "thread", String.valueOf(thread)).select("option[selected]")
                .attr("value")).isEqualTo("normal");
        assertThat(given().auth().oauth2(Keycloak.token(member)).get("/api/threads/" + thread + "/follow")
                .then().extract().jsonPath().getString("level")).isEqualTo("normal");
    }

    @Test
    void shouldSetLevelsThroughOneSetOfRoutesThatComeBackOnlyToKnownPlaces() {
        String member = TestData.member("back");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("bob", channel, "Where the form comes back to", "Body");
        follow(member, "/api/channels/" + channel + "/follow", "tracking");

        // the list's rows post to the pages' follow routes, and ask to come back to the list
        Document list = Pages.page(member, "/following");
        Element form = row(list, "channel", channel).selectFirst("form");
        assertThat(form.attr("action")).isEqualTo("/channels/" + channel + "/follow");
        assertThat(form.select("input[name=back]").val()).isEqualTo("following");
        Response fromList = Pages.submit(member, list, "li.follow-row[data-kind=channel][data-key=" + channel + "] form",
                Map.of("level", "watching"));
        assertThat(fromList.statusCode()).isEqualTo(303);
        assertThat(fromList.header("Location")).endsWith("/following#channel");

        // the thread page's control comes back to the thread; an address in "back" is not followed anywhere
        Document threadPage = Pages.page(member, "/threads/" + thread);
        for (String elsewhere : java.util.List.of("https://evil.example/", "//evil.example/x", "/admin", "")) {
            Response saved = Pages.submit(member, threadPage, "form.follow-control", Map.of("level", "watching", "back", elsewhere));
            assertThat(saved.statusCode()).isEqualTo(303);
            assertThat(java.net.URI.create(saved.header("Location")).getPath()).as(elsewhere).isEqualTo("/threads/" + thread);
            assertThat(saved.header("Location")).doesNotContain("evil");
        }
        assertThat(given().auth().oauth2(Keycloak.token(member)).get("/api/threads/" + thread + "/follow")
                .then().extract().jsonPath().getString("level")).isEqualTo("watching");

        // the list's own routes are gone: one set of routes
        Response gone = given().cookies(new java.util.HashMap<>(Pages.cookies(member))).redirects().follow(false)
                .contentType(ContentType.URLENC).formParam("csrf-token", Pages.csrfToken(member)).formParam("level", "normal")
                .post("/following/threads/" + thread);
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldExplainTheLevelsBesideTheFollowControlOfAThreadPage() {
        String member = TestData.member("levels");
        long thread = TestData.thread("bob", TestData.networkChannel(pool), "Levels explained", "Body");
        follow(member, "/api/threads/" + thread + "/follow", "muted");
        Document page = Pages.page(member, "/threads/" + thread);
        assertThat(page.select("form.follow-control .follow-hint").text()).isEqualTo("Nothing in your digest, no unread "
                + "count, no notice of new posts; replies to you and mentions still notify you.");
        assertThat(page.select("details.follow-levels dt").eachText()).containsExactly("Watching", "Tracking", "Normal", "Muted");
    }

    @Test
    void shouldCountOnTheTagIndexOnlyTheThreadsTheViewerMaySee() {
        String outsider = TestData.member("outsider");
        String insider = TestData.member("insider");
        String facilitator = TestData.member("tagfac");
        String cohort = TestData.cohort(pool, facilitator, insider);
        String network = TestData.networkChannel(pool);
        String tag = "idx-" + Long.toHexString(System.nanoTime()).substring(6);
        TestData.threadWithTags("bob", network, "An open thread with the tag", "Body", tag);
        TestData.threadWithTags(insider, cohort, "A cohort thread with the tag", "Body", tag);
        long hidden = TestData.threadWithTags("bob", network, "A thread a facilitator hides", "Body", tag);
        given().auth().oauth2(Keycloak.token("fran")).contentType(ContentType.JSON).body(Map.of("reason", "Off topic"))
                .put("/api/threads/" + hidden + "/hidden").then().statusCode(204);
        follow(insider, "/api/tags/" + tag + "/follow", "watching");

        Element forOutsider = Pages.page(outsider, "/tags").selectFirst(".tag-index li[data-tag=" + tag + "]");
        assertThat(forOutsider).isNotNull();
        assertThat(forOutsider.select(".tag-count").text()).isEqualTo("1 thread");
        assertThat(forOutsider.select("a").attr("href")).isEqualTo("/tags/" + tag);
        assertThat(forOutsider.select(".tag-level")).isEmpty();
        Element forInsider = Pages.page(insider, "/tags").selectFirst(".tag-index li[data-tag=" + tag + "]");
        assertThat(forInsider.select(".tag-count").text()).isEqualTo("2 threads");
        assertThat(forInsider.select(".tag-level").text()).isEqualTo("Watching");
        // a tag only on threads the viewer cannot see is not listed for them
        String secret = "sec-" + Long.toHexString(System.nanoTime()).substring(6);
        TestData.threadWithTags(insider, cohort, "Only the cohort sees this tag", "Body", secret);
        assertThat(Pages.page(outsider, "/tags").select(".tag-index li[data-tag=" + secret + "]")).isEmpty();
        assertThat(Pages.page(insider, "/tags").select(".tag-index li[data-tag=" + secret + "] .tag-count").text())
                .isEqualTo("1 thread");
    }
}
