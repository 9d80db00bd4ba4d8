package org.roundtable.thread;

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
 * What counts as new to a member (issue 13, "What is removed must leave everything"): removed posts (deleted, hidden)
 * never make a thread unread nor carry "New since your last visit"; a member's own posts are never new to them; in a
 * thread of several pages the unread link lands on the page of the first unread post and the read marker moves only
 * over what a page showed.
 */
@QuarkusTest
class UnreadTest {

    @Inject
    Pool pool;

    @Inject
    ThreadService threads;

    // ---------------------------------------------------------------- removed posts

    @Test
    void shouldNotCountOrMarkAReplyThatWasDeletedOrHiddenAsNewAndCountItAgainWhenItComesBack() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("carmen", channel, "Removed replies are not news", "Opening");
        Pages.page("alice", "/threads/" + thread); // alice has read the opening post

        long deleted = TestData.reply("bob", thread, null, "A reply bob regrets");
        api("bob").delete("/api/posts/" + deleted).then().statusCode(204);
        assertNothingNewFor("alice", channel, thread); // the lists, then the thread page with its tombstone
        assertThat(post(Pages.page("alice", "/threads/" + thread), deleted).hasClass("new-since-visit")).isFalse();

        long hidden = TestData.reply("bob", thread, null, "A reply a facilitator hides");
        api("fran").body(Map.of("reason", "Off-topic")).put("/api/posts/" + hidden + "/hidden").then().statusCode(204);
        assertNothingListedAsNewFor("alice", channel, thread); // alice does not open the thread here

        // Shown again, it is news to whoever has not read it.
        api("fran").delete("/api/posts/" + hidden + "/hidden").then().statusCode(204);
        assertThat(channelRow("alice", channel, thread).select(".unread")).hasSize(1);
        assertThat(channelListItem("alice", channel).select(".unread").text()).isEqualTo("1 unread");
        Document page = Pages.page("alice", "/threads/" + thread);
        assertThat(page.selectFirst("div.new-marker#new").nextElementSibling().attr("data-post-id"))
                .isEqualTo(String.valueOf(hidden));
        assertThat(post(page, deleted).hasClass("new-since-visit")).isFalse();
        assertNothingNewFor("alice", channel, thread);
    }

    // ---------------------------------------------------------------- one's own posts

    @Test
    void shouldNeverTellAMemberTheirOwnThreadOrReplyIsNew() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("carmen", channel, "A thread alice replies in", "Opening");
        Document page = Pages.page("alice", "/threads/" + thread);
        Response posted = Pages.submit("alice", page, "form.composer", Map.of("body", "My reply", "action", "post"));
        assertThat(posted.statusCode()).isEqualTo(303);
        Document after = Pages.page("alice", path(posted.header("Location")));
        assertThat(after.select(".new-marker, .new-since-visit")).isEmpty();
        assertNothingNewFor("alice", channel, thread);

        // A reply written without reading what came before it leaves that unread, and only that.
        long bobs = TestData.reply("bob", thread, null, "Bob's reply alice has not seen");
        long alices = TestData.reply("alice", thread, null, "Alice replies through the API meanwhile");
        assertThat(channelRow("alice", channel, thread).select(".unread")).hasSize(1);
        Document later = Pages.page("alice", "/threads/" + thread);
        assertThat(later.selectFirst("div.new-marker#new").nextElementSibling().attr("data-post-id"))
                .isEqualTo(String.valueOf(bobs));
        assertThat(post(later, bobs).hasClass("new-since-visit")).isTrue();
        assertThat(post(later, alices).hasClass("new-since-visit")).isFalse();
        assertNothingNewFor("alice", channel, thread);

        // A thread she starts is read by her up to its opening post.
        long own = TestData.thread("alice", channel, "A thread alice started", "Mine");
        assertThat(channelRow("alice", channel, own).select(".unread")).isEmpty();
    }

    // ---------------------------------------------------------------- threads of several pages

    @Test
    void shouldLandOnThePageOfTheFirstUnreadPostAndMoveTheMarkerOnlyOverWhatAPageShowed() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A long conversation", "Fifty answers and more");
        long first = 0;
        for (int i = 1; i <= ThreadService.PAGE_SIZE; i++) {
            long reply = TestData.reply("bob", thread, null, "Answer " + i);
            first = i == 1 ? reply : first;
        }
        Pages.page("carmen", "/threads/" + thread); // one page: carmen has read everything
        assertNothingNewFor("carmen", channel, thread);

        // Two new replies: one that starts page 2, then one inside the first branch (on page 1).
        long onPageTwo = TestData.reply("bob", thread, null, "Answer " + (ThreadService.PAGE_SIZE + 1));
        long onPageOne = TestData.reply("alice", thread, first, "A late reply to answer 1");
        assertThat(threads.pageOf(thread, onPageTwo).await().indefinitely()).as("page of the new answer").isEqualTo(1);
        assertThat(threads.pageOf(thread, onPageOne).await().indefinitely()).as("page of the late reply").isEqualTo(0);

        // Page 1 shows the late reply as new, and the marker cannot pass the unseen one on page 2.
        Document pageOne = Pages.page("carmen", "/threads/" + thread);
        assertThat(post(pageOne, onPageOne).hasClass("new-since-visit")).isTrue();
        assertThat(pageOne.select("article.post[data-post-id=" + onPageTwo + "]")).isEmpty();
        assertThat(channelRow("carmen", channel, thread).select(".unread")).as("unread after page 1").hasSize(1);

        // The unread link lands on page 2, at the new post; reading it moves the marker up to the late reply.
        assertThat(channelRow("carmen", channel, thread).selectFirst(".thread-title a").attr("href"))
                .isEqualTo("/threads/" + thread + "/unread");
        assertThat(landing("carmen", thread)).isEqualTo("/threads/" + thread + "?page=2#new");
        Document pageTwo = Pages.page("carmen", "/threads/" + thread + "?page=2");
        assertThat(pageTwo.selectFirst("div.new-marker#new").nextElementSibling().attr("data-post-id"))
                .isEqualTo(String.valueOf(onPageTwo));
        assertThat(channelRow("carmen", channel, thread).select(".unread")).as("unread after page 2").hasSize(1);

        // Then on page 1, for the late reply; after it nothing is unread, and the link lands on page 1.
        assertThat(landing("carmen", thread)).isEqualTo("/threads/" + thread + "#new");
        assertThat(post(Pages.page("carmen", "/threads/" + thread), onPageOne).hasClass("new-since-visit")).isTrue();
        assertNothingNewFor("carmen", channel, thread);
        assertThat(landing("carmen", thread)).isEqualTo("/threads/" + thread);
        assertThat(Pages.get("carmen", "/threads/987654321/unread").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldMarkReadThroughTheApiOnlyWhatItsPageReturned() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A long conversation read by a client", "Many answers");
        for (int i = 1; i <= ThreadService.PAGE_SIZE + 1; i++) {
            TestData.reply("bob", thread, null, "Answer " + i);
        }
        // The API's first page (page 0) shows 50 replies; the 51st is on page 1 and stays unread.
        api("carmen").get("/api/threads/" + thread + "?page=0").then().statusCode(200);
        assertThat(channelRow("carmen", channel, thread).select(".unread")).hasSize(1);
        api("carmen").get("/api/threads/" + thread + "?page=1").then().statusCode(200);
        assertThat(channelRow("carmen", channel, thread).select(".unread")).isEmpty();
    }

    // ---------------------------------------------------------------- deleted posts are signed by their authors

    @Test
    void shouldSignADeletedPostWithItsAuthorWhoIsStillAMember() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A question alice takes back", "The question");
        long opening = TestData.openingPost("alice", thread);
        long reply = TestData.reply("bob", thread, null, "A reply bob takes back");
        api("alice").delete("/api/posts/" + opening).then().statusCode(204);
        api("bob").delete("/api/posts/" + reply).then().statusCode(204);

        Document page = Pages.page("carmen", "/threads/" + thread);
        Element question = page.selectFirst("#post-1");
        assertThat(question.select(".body").text()).isEqualTo("This post was deleted.");
        assertThat(question.selectFirst(".post-header .author").text()).isEqualTo("Alice Alvarez");
        assertThat(question.selectFirst(".post-header a.author").attr("href")).isEqualTo("/members/alice");
        assertThat(post(page, reply).selectFirst(".post-header .author").text()).isEqualTo("Bob Brooks");
        assertThat(page.text()).doesNotContain("a former member");
        assertThat(api("carmen").get("/api/threads/" + thread).then().statusCode(200).extract().jsonPath()
                .getString("posts[0].author.name")).isEqualTo("Alice Alvarez");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * No unread mark for the member: the lists ({@link #assertNothingListedAsNewFor}), then the thread page (which,
     * opened, moves the read marker).
     */
    private static void assertNothingNewFor(String username, String channel, long thread) {
        assertNothingListedAsNewFor(username, channel, thread);
        assertThat(Pages.page(username, "/threads/" + thread).select(".new-marker, .new-since-visit"))
                .as("new marks on the thread page").isEmpty();
    }

    /** No unread mark in the lists: /channels, the channel's page, the home page, the API's channel list. */
    private static void assertNothingListedAsNewFor(String username, String channel, long thread) {
        assertThat(channelListItem(username, channel).select(".unread")).as("unread count on /channels").isEmpty();
        assertThat(channelRow(username, channel, thread).select(".unread")).as("unread mark on the channel page").isEmpty();
        Element home = Pages.page(username, "/").selectFirst("li[data-thread=" + thread + "]");
        assertThat(home).as("the thread on the home page").isNotNull();
        assertThat(home.select(".unread")).as("new mark on the home page").isEmpty();
        assertThat(api(username).get("/api/channels/" + channel + "/threads").then().statusCode(200).extract().jsonPath()
                .getBoolean("threads.find { it.id == " + thread + " }.unread")).as("unread in the API").isFalse();
    }

    private static Element channelListItem(String username, String channel) {
        Element item = Pages.page(username, "/channels").selectFirst("li.channel[data-slug=" + channel + "]");
        assertThat(item).as("channel " + channel + " on /channels").isNotNull();
        return item;
    }

    private static Element channelRow(String username, String channel, long thread) {
        Element row = Pages.page(username, "/channels/" + channel).selectFirst("li.thread[data-thread-id=" + thread + "]");
        assertThat(row).as("thread " + thread + " on its channel's page").isNotNull();
        return row;
    }

    /** Where the thread's unread link sends the member (path, query and fragment). */
    private static String landing(String username, long thread) {
        Response response = Pages.get(username, "/threads/" + thread + "/unread");
        assertThat(response.statusCode()).isEqualTo(303);
        return response.header("Location").replaceFirst("^https?://[^/]+", "");
    }

    /** The path and query of a redirect's location (no host, no fragment). */
    private static String path(String location) {
        return location.replaceFirst("^https?://[^/]+", "").replaceFirst("#.*$", "");
    }

    private static Element post(Document page, long postId) {
        Element post = page.selectFirst("article.post[data-post-id=" + postId + "]:not(.accepted)");
        assertThat(post).as("post " + postId).isNotNull();
        return post;
    }

    private static io.restassured.specification.RequestSpecification api(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }
}
