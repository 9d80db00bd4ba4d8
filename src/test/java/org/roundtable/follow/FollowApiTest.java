package org.roundtable.follow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

@QuarkusTest
class FollowApiTest {

    @Inject
    Pool pool;

    static String member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, prefix, "Follower");
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        return username;
    }

    static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    @Test
    void shouldSetAndReadLevelsOnThreadsChannelsAndTags() {
        String ann = member("ann");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("bob", channel, "Scheduling parent conferences", "How do you do it?");

        as(ann).get("/api/threads/" + thread + "/follow").then().statusCode(200).body("level", equalTo("normal"));
        as(ann).body(Map.of("level", "watching")).put("/api/threads/" + thread + "/follow")
                .then().statusCode(200).body("level", equalTo("watching")).body("title", equalTo("Scheduling parent conferences"));
        as(ann).body(Map.of("level", "tracking")).put("/api/channels/" + channel + "/follow")
                .then().statusCode(200).body("level", equalTo("tracking"));
        as(ann).body(Map.of("level", "muted")).put("/api/tags/Budget/follow")
                .then().statusCode(200).body("level", equalTo("muted")).body("key", equalTo("budget"));

        JsonPath follows = as(ann).get("/api/follows").then().statusCode(200).extract().jsonPath();
        assertThat(follows.getList("kind", String.class)).containsExactly("channel", "tag", "thread");
        assertThat(follows.getList("level", String.class)).containsExactly("tracking", "muted", "watching");

        as(ann).body(Map.of("level", "loud")).put("/api/threads/" + thread + "/follow").then().statusCode(400);
        as(ann).body(Map.of("level", "watching")).put("/api/threads/999999999/follow").then().statusCode(404);
    }

    /**
     * The effective level is one rule in two forms (FollowService.rank per row, FollowService.ranks for a batch of
     * members and threads, which the digest uses): both give every thread the level worked out by hand — the thread's
     * own level first, then muted by channel or tag, then the strongest of channel and tags, else normal.
     */
    @Test
    void shouldRankEveryThreadAlikePerRowAndInTheSetForm() {
        String ann = member("ann");
        String quiet = TestData.networkChannel(pool);
        String busy = TestData.networkChannel(pool);
        String noise = "noise" + System.nanoTime();
        String budget = "budget" + System.nanoTime();
        long plain = TestData.thread("bob", busy, "Plain", "Opening");
        long ownMuted = TestData.thread("bob", busy, "Muted by its own level", "Opening");
        long mutedTag = TestData.threadWithTags("bob", busy, "Under a muted tag", "Opening", noise, budget);
        long mutedTagButOwn = TestData.threadWithTags("bob", busy, "Under a muted tag, tracked itself", "Opening", noise);
        long trackedTag = TestData.threadWithTags("bob", busy, "Under a tracked tag", "Opening", budget);
        long inMuted = TestData.thread("bob", quiet, "In a muted channel", "Opening");
        long inMutedWatched = TestData.thread("bob", quiet, "In a muted channel, watched itself", "Opening");
        long inMutedTracked = TestData.threadWithTags("bob", quiet, "In a muted channel, under a tracked tag", "Opening", budget);
        as(ann).body(Map.of("level", "watching")).put("/api/channels/" + busy + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "muted")).put("/api/channels/" + quiet + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "muted")).put("/api/tags/" + noise + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "tracking")).put("/api/tags/" + budget + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "muted")).put("/api/threads/" + ownMuted + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "tracking")).put("/api/threads/" + mutedTagButOwn + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "watching")).put("/api/threads/" + inMutedWatched + "/follow").then().statusCode(200);

        Map<Long, Integer> byHand = Map.of(plain, 3, ownMuted, 0, mutedTag, 0, mutedTagButOwn, 2, trackedTag, 3,
                inMuted, 0, inMutedWatched, 3, inMutedTracked, 0);
        String sql = """
                with fl as (
                    select f.member_id, f.thread_id, f.channel_id, f.tag, follow_rank(f.level) as r
                    from follow f where f.member_id = $1),
                pairs as (select $1::bigint as member_id, t.id as thread_id from thread t where t.id = any($2)),
                %s
                select t.id, coalesce(lv.rank, 1) as set_rank, %s as row_rank
                from pairs p join thread t on t.id = p.thread_id
                left join lv on lv.member_id = p.member_id and lv.thread_id = p.thread_id
                """.formatted(FollowService.ranks("lv", "pairs", "fl"), FollowService.rank("t", "$1"));
        long annId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(ann))
                .await().indefinitely().iterator().next().getLong(0);
        Map<Long, Integer> setForm = new java.util.HashMap<>();
        Map<Long, Integer> perRow = new java.util.HashMap<>();
        pool.preparedQuery(sql).execute(Tuple.of(annId, byHand.keySet().toArray(Long[]::new))).await().indefinitely()
                .forEach(row -> {
                    setForm.put(row.getLong("id"), row.getInteger("set_rank"));
                    perRow.put(row.getLong("id"), row.getInteger("row_rank"));
                });
        assertThat(setForm).isEqualTo(byHand);
        assertThat(perRow).isEqualTo(byHand);
    }

    @Test
    void shouldTrackAThreadWhenPostingUnderANameAndNotWhenAnonymous() {
        String ann = member("ann");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(ann, channel, "A thread of my own", "Opening words");
        long other = TestData.thread("bob", channel, "Someone else's thread", "Opening words");
        TestData.reply(ann, other, null, "My reply");
        assertThat(level(ann, thread)).isEqualTo("tracking");
        assertThat(level(ann, other)).isEqualTo("tracking");
        assertThat(reason(ann, thread)).isEqualTo("created_thread");
        assertThat(reason(ann, other)).isEqualTo("replied");

        // A muted thread stays muted when the member posts in it again.
        as(ann).body(Map.of("level", "muted")).put("/api/threads/" + other + "/follow").then().statusCode(200);
        TestData.reply(ann, other, null, "Another reply");
        assertThat(level(ann, other)).isEqualTo("muted");

        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long anonymous = as(ann).body(Map.of("title", "Something I cannot say", "body", "Said anonymously"))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(count("select count(*) from follow where thread_id = $1", anonymous)).isZero();
    }

    @Test
    void shouldNotLetAMemberFollowAThreadTheyCannotSee() {
        String ann = member("ann");
        String cohortChannel = TestData.cohortUndiscussables(pool, "bob");
        pool.preparedQuery("update channel set kind = 'cohort' where slug = $1").execute(Tuple.of(cohortChannel)).await().indefinitely();
        long thread = TestData.thread("bob", cohortChannel, "Cohort only thread", "Inside");
        as(ann).body(Map.of("level", "watching")).put("/api/threads/" + thread + "/follow").then().statusCode(404);
        as(ann).body(Map.of("level", "watching")).put("/api/channels/" + cohortChannel + "/follow").then().statusCode(404);
    }

    @Test
    void shouldLeaveMutedThreadsOutOfUnreadCountsAndNotifyWatchersOfNewThreads() {
        String ann = member("ann");
        String channel = TestData.networkChannel(pool);
        as(ann).body(Map.of("level", "watching")).put("/api/channels/" + channel + "/follow").then().statusCode(200);
        long first = TestData.thread("bob", channel, "First unread thread", "Body");
        long second = TestData.thread("bob", channel, "Second unread thread", "Body");
        assertThat(unread(ann, channel)).isEqualTo(2);
        as(ann).body(Map.of("level", "muted")).put("/api/threads/" + first + "/follow").then().statusCode(200);
        assertThat(unread(ann, channel)).isEqualTo(1);
        List<Boolean> flags = as(ann).get("/api/channels/" + channel + "/threads").then().statusCode(200)
                .extract().jsonPath().getList("threads.findAll { it.id == " + first + " }.unread", Boolean.class);
        assertThat(flags).containsExactly(false);

        JsonPath notifications = as(ann).get("/api/notifications").then().statusCode(200).extract().jsonPath();
        List<Object> kinds = notifications.getList("notifications.findAll { it.threadId == " + second + " }.kind");
        assertThat(kinds).containsExactly("new_thread");
        assertThat(notifications.getInt("unread")).isGreaterThanOrEqualTo(2);
        as(ann).body(Map.of()).post("/api/notifications/read").then().statusCode(200);
        assertThat(as(ann).get("/api/notifications").then().extract().jsonPath().getInt("unread")).isZero();
    }

    private int unread(String user, String channel) {
        return as(user).get("/api/channels").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.slug == '" + channel + "' }.unreadCount");
    }

    private String level(String user, long thread) {
        return as(user).get("/api/threads/" + thread + "/follow").then().statusCode(200).extract().jsonPath().getString("level");
    }

    private String reason(String user, long thread) {
        return pool.preparedQuery("select f.reason from follow f join member m on m.id = f.member_id where m.username = $1 and f.thread_id = $2")
                .execute(Tuple.of(user, thread)).await().indefinitely().iterator().next().getString("reason");
    }

    private long count(String sql, long id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely().iterator().next().getLong(0);
    }
}
