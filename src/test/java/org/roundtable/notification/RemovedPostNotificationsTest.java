package org.roundtable.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Notifications of posts that are removed (issue 13, "What is removed must leave everything"): mentions, replies and
 * watchers' notifications of a post that is hidden, deleted or held leave the list, the badge and the API while it is;
 * a reply to an anonymous post that is hidden leaves "Replies to your anonymous posts".
 */
@QuarkusTest
class RemovedPostNotificationsTest {

    @Inject
    Pool pool;

    @Test
    void shouldLeaveOutMentionReplyAndWatcherNotificationsOfAHiddenPostUntilItIsShownAgain() {
        String member = TestData.member("notified");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(member, channel, "Ask me anything", "About timetabling");
        long opening = TestData.openingPost(member, thread);
        // A post that mentions the member and replies to their post; then one that is new in a thread they watch.
        long post = TestData.reply("bob", thread, opening, "@" + member + " how do you handle cover lessons?");
        assertThat(kinds(member, post)).containsExactlyInAnyOrder("mention", "reply");
        api(member).body(Map.of("level", "watching")).put("/api/threads/" + thread + "/follow").then().statusCode(200);
        long watched = TestData.reply("carmen", thread, null, "A post in the watched thread");
        assertThat(kinds(member, watched)).containsExactly("new_post");
        assertThat(badge(member)).isEqualTo("3");

        api("fran").body(Map.of("reason", "Off-topic")).put("/api/posts/" + post + "/hidden").then().statusCode(204);
        assertThat(kinds(member, post)).isEmpty();
        assertThat(listed(member, post)).isFalse();
        assertThat(badge(member)).isEqualTo("1");
        assertThat(api(member).get("/api/notifications").then().extract().jsonPath().getInt("unread")).isEqualTo(1);

        api("fran").delete("/api/posts/" + post + "/hidden").then().statusCode(204);
        assertThat(kinds(member, post)).containsExactlyInAnyOrder("mention", "reply");
        assertThat(listed(member, post)).isTrue();
        assertThat(badge(member)).isEqualTo("3");

        // Deleted by its author: gone for good.
        api("carmen").delete("/api/posts/" + watched).then().statusCode(204);
        assertThat(kinds(member, watched)).isEmpty();
        assertThat(listed(member, watched)).isFalse();
        assertThat(badge(member)).isEqualTo("2");
    }

    @Test
    void shouldLeaveOutAReplyToAnAnonymousPostWhileItIsHiddenAndWhenItsThreadIsHidden() {
        String author = TestData.member("anonymous");
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = api(author).body(Map.of("title", "Something I cannot say", "body", "Anonymously", "tags", List.of()))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        long opening = TestData.openingPost(author, thread);
        Map<String, Object> body = new HashMap<>();
        body.put("body", "You are not alone");
        body.put("replyTo", opening);
        long reply = api("bob").body(body).post("/api/threads/" + thread + "/posts").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        // An anonymous reply is listed once the hour it was written in has ended: its time is moved back an hour.
        assertThat(anonymousReplies(author)).isEmpty();
        pool.preparedQuery("update post set created_at = created_at - interval '1 hour' where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(reply)).await().indefinitely();
        assertThat(anonymousReplies(author)).containsExactly(reply);

        api("fran").body(Map.of("reason", "Names a colleague")).put("/api/posts/" + reply + "/hidden").then().statusCode(204);
        assertThat(anonymousReplies(author)).isEmpty();

        api("fran").delete("/api/posts/" + reply + "/hidden").then().statusCode(204);
        assertThat(anonymousReplies(author)).containsExactly(reply);

        api("fran").body(Map.of("reason", "Names a colleague")).put("/api/threads/" + thread + "/hidden").then().statusCode(204);
        assertThat(anonymousReplies(author)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** The kinds of the member's notifications of a post, from the API. */
    private static List<String> kinds(String member, long post) {
        JsonPath json = api(member).get("/api/notifications").then().statusCode(200).extract().jsonPath();
        return json.getList("notifications.findAll { it.postId == " + post + " }.kind", String.class);
    }

    /** Whether the notifications page lists a notification of the post. */
    private static boolean listed(String member, long post) {
        return !Pages.page(member, "/notifications").select("li.notification[data-target=/posts/" + post + "] a").isEmpty();
    }

    private static String badge(String member) {
        Element badge = Pages.page(member, "/").selectFirst("a.nav-notifications .badge");
        return badge == null ? null : badge.text();
    }

    /** The replies listed under "Replies to your anonymous posts" on the page, and in the API. */
    private static List<Long> anonymousReplies(String member) {
        Document page = Pages.page(member, "/notifications");
        List<Long> onPage = page.select("section.anonymous-replies li.anonymous-reply a").stream()
                .map(a -> Long.parseLong(a.attr("href").substring("/posts/".length()))).toList();
        List<Long> inApi = api(member).get("/api/notifications").then().statusCode(200).extract().jsonPath()
                .getList("repliesToYourAnonymousPosts.postId", Long.class);
        assertThat(inApi).as("the API's replies to anonymous posts").isEqualTo(onPage);
        return onPage;
    }

    private static RequestSpecification api(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }
}
