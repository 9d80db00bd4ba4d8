package org.roundtable.moderation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * A facilitator's edit (the review queue's decision "edit", issue 13): written by the thread feature's one write path for
 * edits, as the author's are (a revision naming who wrote each text, mention links, notifications), from the page and
 * the API; refused for anonymous posts, which facilitators hide instead.
 */
@QuarkusTest
class ModeratorEditTest {

    @Inject
    Pool pool;

    @Test
    void shouldEditAFlaggedPostFromTheReviewPageThroughTheSameWriteAsTheAuthorsEdits() {
        String mentioned = TestData.member("mentioned");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Cover for a sick colleague", "Who can help?");
        long post = TestData.reply("alice", thread, null, "Call Sam's mother on 555-0100, she knows.");
        api("bob").body(Map.of("reason", "inappropriate")).post("/api/posts/" + post + "/flags").then().statusCode(201);

        Document review = Pages.page("fran", "/review");
        assertThat(review.select("li.queue-item[data-post-id=" + post + "] option[value=edit]")).hasSize(1);
        Response decided = Pages.submit("fran", review, "li.queue-item[data-post-id=" + post + "] form.decision",
                Map.of("action", "edit", "reason", "A phone number of a family", "body", "Ask @" + mentioned + ", who knows."));
        assertThat(decided.statusCode()).isEqualTo(303);

        JsonPath now = api("carmen").get("/api/posts/" + post).then().statusCode(200).extract().jsonPath();
        assertThat(now.getInt("version")).isEqualTo(2);
        assertThat(now.getString("html")).contains("who knows").doesNotContain("555-0100")
                .contains("href=\"/members/" + mentioned + "\"");
        // The mention the facilitator wrote notifies, as any new mention does.
        assertThat(api(mentioned).get("/api/notifications").then().extract().jsonPath()
                .getList("notifications.findAll { it.postId == " + post + " }.kind", String.class)).containsExactly("mention");
        assertThat(revisions(post)).containsExactly(Map.entry(1, "Alice Alvarez"));
        assertThat(count("select count(*) from audit_entry where action = 'review.edit' and target_id = $1 and reason = $2",
                String.valueOf(post), "A phone number of a family")).isEqualTo(1);
        assertThat(Pages.page("fran", "/review").select("li.queue-item[data-post-id=" + post + "]")).isEmpty();

        // The author edits again: the history names who wrote each earlier text.
        api("alice").body(Map.of("body", "Ask the office, they know.", "version", 2)).patch("/api/posts/" + post)
                .then().statusCode(200);
        assertThat(revisions(post)).containsExactly(Map.entry(2, "Fran Fischer"), Map.entry(1, "Alice Alvarez"));
    }

    @Test
    void shouldEditThroughTheApiAndHideAPostFlaggedIntoHidingNoLonger() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A heated thread", "Opening");
        long post = TestData.reply("bob", thread, null, "Something rude and something useful.");
        for (String flagger : List.of("alice", "carmen", "ada")) {
            api(flagger).body(Map.of("reason", "inappropriate")).post("/api/posts/" + post + "/flags").then().statusCode(201);
        }
        api("carmen").get("/api/posts/" + post).then().body("hidden", org.hamcrest.Matchers.equalTo(true));

        api("fran").body(Map.of("action", "edit", "reason", "Kept the useful part", "body", "Something useful."))
                .post("/api/review-queue/" + post + "/decision").then().statusCode(204);
        JsonPath now = api("carmen").get("/api/posts/" + post).then().statusCode(200).extract().jsonPath();
        assertThat(now.getBoolean("hidden")).isFalse();
        assertThat(now.getString("html")).isEqualTo("<p>Something useful.</p>\n");
        assertThat(revisions(post)).containsExactly(Map.entry(1, "Bob Brooks"));
        // An empty text is refused, and changes nothing.
        api("fran").body(Map.of("action", "edit", "reason", "Again", "body", " ")).post("/api/review-queue/" + post + "/decision")
                .then().statusCode(400);
        assertThat(api("carmen").get("/api/posts/" + post).then().extract().jsonPath().getInt("version")).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFacilitatorsEditOfAnAnonymousPostAndLetThemHideIt() {
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = api("alice").body(Map.of("title", "A decision I cannot defend", "body", "My own words, anonymously.",
                "tags", List.of())).post("/api/channels/" + undiscussables + "/threads").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long post = TestData.openingPost("alice", thread);
        api("bob").body(Map.of("reason", "inappropriate")).post("/api/posts/" + post + "/flags").then().statusCode(201);

        // The queue does not offer it, the API refuses it, and the page shows why: nothing changes.
        Document review = Pages.page("fran", "/review");
        assertThat(review.select("li.queue-item[data-post-id=" + post + "]")).hasSize(1);
        assertThat(review.select("li.queue-item[data-post-id=" + post + "] option[value=edit]")).isEmpty();
        api("fran").body(Map.of("action", "edit", "reason", "Tone", "body", "Other words"))
                .post("/api/review-queue/" + post + "/decision").then().statusCode(409)
                .body("detail", containsString("cannot edit anonymous posts"));
        Response refused = Pages.submit("fran", review, "li.queue-item[data-post-id=" + post + "] form.decision",
                Map.of("action", "edit", "reason", "Tone", "body", "Other words"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(refused.asString()).select(".notice.error").text()).contains("cannot edit anonymous posts");
        JsonPath unchanged = api("carmen").get("/api/posts/" + post).then().statusCode(200).extract().jsonPath();
        assertThat(unchanged.getInt("version")).isEqualTo(1);
        assertThat(unchanged.getString("html")).contains("My own words");
        assertThat(count("select count(*) from post_revision where post_id = $1", post)).isZero();
        assertThat(count("select count(*) from flag where post_id = $1 and resolved_at is null", post)).isEqualTo(1);

        api("fran").body(Map.of("action", "hide", "reason", "Tone")).post("/api/review-queue/" + post + "/decision")
                .then().statusCode(204);
        assertThat(api("carmen").get("/api/posts/" + post).then().extract().jsonPath().getBoolean("hidden")).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    /** The revisions of a post, newest first: version → who wrote that text. */
    private static List<Map.Entry<Integer, String>> revisions(long post) {
        JsonPath json = api("fran").get("/api/posts/" + post + "/revisions").then().statusCode(200).extract().jsonPath();
        List<Integer> versions = json.getList("version", Integer.class);
        List<String> editors = json.getList("editor", String.class);
        return java.util.stream.IntStream.range(0, versions.size()).mapToObj(i -> Map.entry(versions.get(i), editors.get(i)))
                .toList();
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    private static RequestSpecification api(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }
}
