package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

@QuarkusTest
class ThreadApiTest {

    @Inject
    Pool pool;

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    @Test
    void shouldCreateAThreadWith201AndLocationAndShowItInTheChannel() {
        String channel = TestData.networkChannel(pool);
        var response = as("alice").body(Map.of("title", "How do you run budget hearings?",
                        "body", "We have **three** weeks.", "tags", List.of("Budget", "hearings")))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(201)
                .header("Location", startsWith("/api/threads/"))
                .body("title", equalTo("How do you run budget hearings?"))
                .body("tags", equalTo(List.of("budget", "hearings")))
                .body("author.username", equalTo("alice"))
                .body("posts[0].html", containsString("<strong>three</strong>"))
                .extract();
        long id = response.jsonPath().getLong("id");
        assertThat(response.header("Location")).isEqualTo("/api/threads/" + id);

        as("bob").get("/api/channels/" + channel + "/threads").then().statusCode(200)
                .body("threads[0].id", equalTo((int) id))
                .body("threads[0].replyCount", equalTo(0))
                .body("threads[0].unread", equalTo(true))
                .body("nextCursor", nullValue());
        JsonPath channels = as("bob").get("/api/channels").then().statusCode(200).extract().jsonPath();
        assertThat(channels.getInt("find { it.slug == '" + channel + "' }.threadCount")).isEqualTo(1);
        assertThat(channels.getInt("find { it.slug == '" + channel + "' }.unreadCount")).isEqualTo(1);

        // Reading the thread clears the unread mark for bob, not for carmen.
        as("bob").get("/api/threads/" + id).then().statusCode(200);
        as("bob").get("/api/channels/" + channel + "/threads").then().body("threads[0].unread", equalTo(false));
        as("carmen").get("/api/channels/" + channel + "/threads").then().body("threads[0].unread", equalTo(true));
    }

    @Test
    void shouldRefuseInvalidThreadsWithPerFieldMessagesAndSaveNothing() {
        String channel = TestData.networkChannel(pool);
        as("alice").body(Map.of("title", "Hey", "body", " ", "tags", List.of("ok", "Not Valid!", "a", "b", "c", "d")))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors", hasKey("title"))
                .body("errors.title", containsString("5 to 200"))
                .body("errors.body", containsString("empty"))
                .body("errors.tags", containsString("At most 5"));
        as("alice").body(Map.of("title", "A valid title", "body", "x", "tags", List.of("Not Valid!")))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(400).body("errors.tags", containsString("Not Valid!".toLowerCase()));
        as("alice").body(Map.of("title", "A valid title", "body", "x".repeat(50_001)))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(400).body("errors.body", containsString("50000"));
        as("alice").get("/api/channels/" + channel + "/threads").then().body("threads.size()", equalTo(0));
    }

    @Test
    void shouldAnswer404ForAnUnknownChannelOrThread() {
        as("alice").body(Map.of("title", "A valid title", "body", "x")).post("/api/channels/no-such-channel/threads")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        as("alice").get("/api/threads/999999999").then().statusCode(404).body("status", equalTo(404));
        as("alice").get("/api/channels/no-such-channel/threads").then().statusCode(404);
    }

    @Test
    void shouldBuildTheReplyTree() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Piloting 1:1 devices", "Who has tried it?");
        long r1 = TestData.reply("bob", thread, null, "We did, in grade 6.");
        long r2 = TestData.reply("alice", thread, r1, "How did teachers take it?");
        long r3 = TestData.reply("bob", thread, r2, "Mixed, at first.");
        long r4 = TestData.reply("carmen", thread, null, "Not yet.");
        JsonPath json = as("carmen").get("/api/threads/" + thread).then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("posts.id", Long.class)).containsExactly(
                TestData.openingPost("alice", thread), r1, r2, r3, r4);
        assertThat(json.getList("posts.depth", Integer.class)).containsExactly(0, 1, 2, 3, 1);
        assertThat(json.getList("posts.replyTo", Long.class).subList(1, 5)).containsExactly(null, r1, r2, null);
        assertThat(json.getInt("replyCount")).isEqualTo(4);

        // A reply to a post of another thread is refused.
        long other = TestData.thread("alice", channel, "Another thread here", "Body");
        Map<String, Object> body = new HashMap<>(Map.of("body", "wrong place", "replyTo", r1));
        as("bob").body(body).post("/api/threads/" + other + "/posts").then().statusCode(400)
                .body("errors.replyTo", containsString("not in this thread"));
    }

    @Test
    void shouldKeepRevisionsAndRefuseAStaleEdit() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Edit me please", "First text");
        long post = TestData.openingPost("alice", thread);
        as("alice").body(Map.of("body", "Second text", "version", 1)).patch("/api/posts/" + post)
                .then().statusCode(200).body("version", equalTo(2)).body("html", containsString("Second text"))
                .body("editedAt", org.hamcrest.Matchers.notNullValue());
        // Someone who edited version 1 meanwhile loses nothing and overwrites nothing.
        as("alice").body(Map.of("body", "Stale text", "version", 1)).patch("/api/posts/" + post)
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("version 2"));
        as("alice").get("/api/posts/" + post).then().body("html", containsString("Second text"));
        as("bob").get("/api/posts/" + post + "/revisions").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].version", equalTo(1))
                .body("[0].html", containsString("First text"));
    }

    @Test
    void shouldLetOnlyTheAuthorEditOrDelete() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Only mine to edit", "Mine");
        long post = TestData.openingPost("alice", thread);
        as("bob").body(Map.of("body", "Hijacked", "version", 1)).patch("/api/posts/" + post)
                .then().statusCode(403).body("detail", containsString("Only the author"));
        as("ada").delete("/api/posts/" + post).then().statusCode(403);
        as("alice").get("/api/posts/" + post).then().body("html", containsString("Mine")).body("version", equalTo(1));
    }

    @Test
    void shouldSoftDeleteAndKeepThePlaceInTheTree() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Deleting a middle post", "Root");
        long r1 = TestData.reply("bob", thread, null, "I will delete this");
        long r2 = TestData.reply("carmen", thread, r1, "A reply to bob");
        as("bob").delete("/api/posts/" + r1).then().statusCode(204);
        JsonPath json = as("alice").get("/api/threads/" + thread).then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("posts.id", Long.class)).contains(r1, r2);
        assertThat(json.getBoolean("posts.find { it.id == " + r1 + " }.deleted")).isTrue();
        assertThat(json.getString("posts.find { it.id == " + r1 + " }.html")).isNull();
        // The post is deleted, its author is not: it stays signed by them (issue 13).
        assertThat(json.getString("posts.find { it.id == " + r1 + " }.author.username")).isEqualTo("bob");
        assertThat(json.getInt("posts.find { it.id == " + r2 + " }.depth")).isEqualTo(2);
        // Gone is gone: no second delete, no edit.
        as("bob").delete("/api/posts/" + r1).then().statusCode(404);
    }

    @Test
    void shouldToggleOneReactionOfEachKindPerMember() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "React to this", "Please");
        long post = TestData.openingPost("alice", thread);
        as("bob").put("/api/posts/" + post + "/reactions/thanks").then().statusCode(200);
        as("bob").put("/api/posts/" + post + "/reactions/thanks").then().statusCode(200)
                .body("find { it.kind == 'thanks' }.count", equalTo(1))
                .body("find { it.kind == 'thanks' }.mine", equalTo(true));
        as("carmen").put("/api/posts/" + post + "/reactions/thanks").then().statusCode(200)
                .body("find { it.kind == 'thanks' }.count", equalTo(2));
        as("bob").delete("/api/posts/" + post + "/reactions/thanks").then().statusCode(200)
                .body("find { it.kind == 'thanks' }.count", equalTo(1))
                .body("find { it.kind == 'thanks' }.mine", equalTo(false));
        as("bob").put("/api/posts/" + post + "/reactions/love").then().statusCode(400)
                .body("detail", containsString("thanks, plus-one, insightful"));
        as("alice").put("/api/posts/" + post + "/reactions/insightful").then().statusCode(409);
        as("carmen").get("/api/threads/" + thread).then().body("posts[0].reactions.thanks", equalTo(1))
                .body("posts[0].myReactions", equalTo(List.of("thanks")));
    }

    @Test
    void shouldLetTheAskerMarkAndChangeTheAnswer() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Which LMS do you use?", "Asking for a friend");
        long r1 = TestData.reply("bob", thread, null, "Canvas");
        long r2 = TestData.reply("carmen", thread, null, "Schoology");
        as("bob").body(Map.of("postId", r1)).put("/api/threads/" + thread + "/answer").then().statusCode(403);
        as("alice").body(Map.of("postId", TestData.openingPost("alice", thread))).put("/api/threads/" + thread + "/answer")
                .then().statusCode(400);
        as("alice").body(Map.of("postId", r1)).put("/api/threads/" + thread + "/answer").then().statusCode(200)
                .body("solved", equalTo(true)).body("acceptedPostId", equalTo((int) r1));
        as("alice").body(Map.of("postId", r2)).put("/api/threads/" + thread + "/answer").then().statusCode(200)
                .body("acceptedPostId", equalTo((int) r2))
                .body("posts.find { it.id == " + r2 + " }.accepted", equalTo(true));
        as("bob").get("/api/channels/" + channel + "/threads").then().body("threads[0].solved", equalTo(true));
        // The answer author is told.
        assertThat(count("select count(*) from notification n join member m on m.id = n.member_id "
                + "where m.username = 'carmen' and n.kind = 'answer_accepted' and n.post_id = $1", r2)).isEqualTo(1);
    }

    @Test
    void shouldRefuseRepliesToALockedThread() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Locked soon", "Body");
        pool.preparedQuery("update thread set locked_at = now() where id = $1").execute(Tuple.of(thread)).await().indefinitely();
        as("bob").body(Map.of("body", "Too late")).post("/api/threads/" + thread + "/posts")
                .then().statusCode(409).body("detail", containsString("locked"));
        assertThat(count("select count(*) from post where thread_id = $1", thread)).isEqualTo(1);
    }

    @Test
    void shouldCreateOnePostForTheSameIdempotencyKey() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Double submit", "Body");
        String key = UUID.randomUUID().toString();
        long first = as("bob").header("Idempotency-Key", key).body(Map.of("body", "Once"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
        long second = as("bob").header("Idempotency-Key", key).body(Map.of("body", "Once"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(second).isEqualTo(first);
        assertThat(count("select count(*) from post where thread_id = $1", thread)).isEqualTo(2);
        // The same key from another member is another request.
        long carmens = as("carmen").header("Idempotency-Key", key).body(Map.of("body", "Mine"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(carmens).isNotEqualTo(first);

        String threadKey = UUID.randomUUID().toString();
        long t1 = as("bob").header("Idempotency-Key", threadKey).body(Map.of("title", "Once only", "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        long t2 = as("bob").header("Idempotency-Key", threadKey).body(Map.of("title", "Once only", "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(t2).isEqualTo(t1);
    }

    @Test
    void shouldLinkAndNotifyMentionsOfMembers() {
        // bob exists as a member once he has logged in.
        as("bob").get("/api/me").then().statusCode(200);
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Mentioning bob", "What do you think, @bob? And @nobody-here?");
        long post = TestData.openingPost("alice", thread);
        String html = as("carmen").get("/api/posts/" + post).then().statusCode(200).extract().path("html");
        var mentions = org.jsoup.Jsoup.parseBodyFragment(html).select("a.mention");
        assertThat(mentions).hasSize(1);
        assertThat(mentions.get(0).attr("href")).isEqualTo("/members/bob");
        assertThat(mentions.get(0).text()).isEqualTo("@bob");
        assertThat(count("select count(*) from notification n join member m on m.id = n.member_id "
                + "where m.username = 'bob' and n.kind = 'mention' and n.post_id = $1", post)).isEqualTo(1);
    }

    @Test
    void shouldPaginateAChannelByCursorWithPinnedFirst() {
        String channel = TestData.networkChannel(pool);
        long first = TestData.thread("alice", channel, "Thread number 0", "x");
        for (int i = 1; i < 35; i++) {
            TestData.thread("alice", channel, "Thread number " + i, "x");
        }
        pool.preparedQuery("update thread set pinned_at = now() where id = $1").execute(Tuple.of(first)).await().indefinitely();
        JsonPath page1 = as("bob").get("/api/channels/" + channel + "/threads").then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("threads")).hasSize(30);
        assertThat(page1.getLong("threads[0].id")).isEqualTo(first);
        assertThat(page1.getBoolean("threads[0].pinned")).isTrue();
        assertThat(page1.getString("threads[1].title")).isEqualTo("Thread number 34");
        String cursor = page1.getString("nextCursor");
        JsonPath page2 = as("bob").queryParam("cursor", cursor).get("/api/channels/" + channel + "/threads")
                .then().statusCode(200).extract().jsonPath();
        assertThat(page2.getList("threads")).hasSize(5);
        assertThat(page2.getString("threads[4].title")).isEqualTo("Thread number 1");
        assertThat(page2.getString("nextCursor")).isNull();
        as("bob").queryParam("cursor", "garbage!").get("/api/channels/" + channel + "/threads").then().statusCode(400);
    }

    private long count(String sql, long param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong(0);
    }
}
