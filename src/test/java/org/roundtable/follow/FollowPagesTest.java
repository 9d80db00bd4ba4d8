package org.roundtable.follow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/** The pages of following: the follow control's forms, the tag page, notifications and preferences. */
@QuarkusTest
class FollowPagesTest {

    @jakarta.inject.Inject
    Pool pool;

    /** A page as the logged-in user sees it, with the cookies a form post needs (session and CSRF). */
    record Page(Document html, Map<String, String> cookies) {
        String csrf() {
            return html.select("input[name=csrf-token]").first() != null ? html.select("input[name=csrf-token]").attr("value")
                    : html.select("form input[type=hidden]").first().attr("value");
        }

        String csrfField() {
            return html.select("form input[type=hidden]").first().attr("name");
        }
    }

    Page open(String user, String path) {
        Map<String, String> cookies = new HashMap<>(Sessions.cookies(user));
        Response response = given().cookies(cookies).redirects().follow(false).get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        cookies.putAll(response.cookies());
        return new Page(Jsoup.parse(response.asString()), cookies);
    }

    Response post(Page page, String action, Map<String, String> form) {
        return given().cookies(page.cookies()).redirects().follow(false).contentType(ContentType.URLENC)
                .formParam(page.csrfField(), page.csrf()).formParams(form).post(action);
    }

    @Test
    void shouldFollowATagFromItsPageAndShowItsThreads() {
        String channel = TestData.networkChannel(pool);
        String tag = "pages-" + Long.toHexString(System.nanoTime()).substring(5);
        long thread = TestData.threadWithTags("bob", channel, "A tagged thread", "Body", tag);

        Page page = open("carmen", "/tags/" + tag);
        assertThat(page.html().select("[data-thread=" + thread + "] a").first().text()).isEqualTo("A tagged thread");
        assertThat(page.html().select("form.follow-control").attr("action")).isEqualTo("/tags/" + tag + "/follow");
        assertThat(page.html().select("form.follow-control option[selected]").attr("value")).isEqualTo("normal");

        Response saved = post(page, "/tags/" + tag + "/follow", Map.of("level", "watching"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/tags/" + tag);
        assertThat(open("carmen", "/tags/" + tag).html().select("form.follow-control option[selected]").attr("value"))
                .isEqualTo("watching");

        // The thread and channel forms answer at their own paths, beside the pages another feature serves.
        Response threadForm = post(page, "/threads/" + thread + "/follow", Map.of("level", "muted"));
        assertThat(threadForm.statusCode()).isEqualTo(303);
        assertThat(threadForm.header("Location")).endsWith("/threads/" + thread);
        Response channelForm = post(page, "/channels/" + channel + "/follow", Map.of("level", "tracking"));
        assertThat(channelForm.statusCode()).isEqualTo(303);
        assertThat(given().auth().oauth2(Keycloak.token("carmen")).get("/api/threads/" + thread + "/follow")
                .then().extract().jsonPath().getString("level")).isEqualTo("muted");

        // Without the CSRF token the form is refused.
        given().cookies(page.cookies()).redirects().follow(false).contentType(ContentType.URLENC).formParam("level", "watching")
                .post("/tags/" + tag + "/follow").then().statusCode(403);
    }

    @Test
    void shouldListNotificationsWithACountInTheHeaderAndMarkThemRead() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("fran", channel, "Question for the notifications page", "Who knows?");
        long opening = TestData.openingPost("fran", thread);
        TestData.reply("bob", thread, opening, "I know, @fran");

        Page page = open("fran", "/notifications");
        assertThat(page.html().select("li.notification.unread[data-kind=reply]").text()).contains("replied to your post")
                .contains("Question for the notifications page");
        int count = Integer.parseInt(page.html().select("header .nav-notifications .badge").text());
        assertThat(count).isPositive();
        Response marked = post(page, "/notifications/read", Map.of());
        assertThat(marked.statusCode()).isEqualTo(303);
        Page after = open("fran", "/notifications");
        assertThat(after.html().select("li.notification.unread")).isEmpty();
        assertThat(after.html().select("header .nav-notifications .badge")).isEmpty();
    }

    @Test
    void shouldSavePreferencesFromThePage() {
        Page page = open("alice", "/preferences");
        assertThat(page.html().select("input[name=frequency][checked]").attr("value")).isIn("default", "daily", "weekly", "off");
        Response saved = post(page, "/preferences", Map.of("frequency", "daily", "hour", "18", "weekday", "5",
                "timeZone", "America/Chicago", "emailOnMention", "on"));
        assertThat(saved.statusCode()).isEqualTo(303);
        Document after = open("alice", "/preferences").html();
        assertThat(after.select("input[name=frequency][checked]").attr("value")).isEqualTo("daily");
        assertThat(after.select("#hour option[selected]").attr("value")).isEqualTo("18");
        assertThat(after.select("#weekday option[selected]").attr("value")).isEqualTo("5");
        assertThat(after.select("#timeZone option[selected]").attr("value")).isEqualTo("America/Chicago");
        Response bad = post(page, "/preferences", Map.of("frequency", "weekly", "hour", "7", "weekday", "1",
                "timeZone", "Mars/Olympus_Mons"));
        assertThat(bad.statusCode()).isEqualTo(400);
        post(page, "/preferences", Map.of("frequency", "default", "hour", "7", "weekday", "1", "timeZone", "UTC",
                "emailOnMention", "on"));
    }
}
