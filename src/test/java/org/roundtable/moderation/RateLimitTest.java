package org.roundtable.moderation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/** Rate limits with small numbers (a profile of its own), on members of their own. */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("roundtable.moderation.limits.posts-per-minute", "3",
                    "roundtable.moderation.limits.flags-per-day", "2",
                    "roundtable.moderation.limits.new-member-threads-per-day", "2");
        }
    }

    @Inject
    Pool pool;

    /** A thread by a member of its own (the demo members are limited here too), with extra replies by the same member. */
    long thread(String channel, String title, int replies, java.util.List<Long> posts) {
        String author = ModerationApiTest.newMember("author");
        long thread = ModerationApiTest.withToken(author).body(Map.of("title", title, "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        posts.add(ModerationApiTest.withToken(author).get("/api/threads/" + thread).then().extract().jsonPath().getLong("posts[0].id"));
        for (int i = 0; i < replies; i++) {
            posts.add(ModerationApiTest.withToken(author).body(Map.of("body", "Reply " + i))
                    .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id"));
        }
        return thread;
    }

    @Test
    void shouldRefuseTheFourthPostOfAMinuteWith429AndSaveNothing() {
        String token = ModerationApiTest.newMember("fast");
        String channel = TestData.networkChannel(pool);
        long thread = thread(channel, "Rate limited thread", 0, new java.util.ArrayList<>());
        for (int i = 1; i <= 3; i++) {
            ModerationApiTest.withToken(token).body(Map.of("body", "Post " + i)).post("/api/threads/" + thread + "/posts")
                    .then().statusCode(201);
        }
        ModerationApiTest.withToken(token).body(Map.of("body", "The fourth")).post("/api/threads/" + thread + "/posts")
                .then().statusCode(429)
                .header("Retry-After", matchesPattern("\\d+"))
                .body("detail", containsString("Nothing was posted"));
        long saved = pool.preparedQuery("select count(*) from post where thread_id = $1 and source = 'The fourth'")
                .execute(Tuple.of(thread)).await().indefinitely().iterator().next().getLong(0);
        assertThat(saved).isZero();
    }

    @Test
    void shouldShowTheLimitOnThePageWithTheDraftKept() {
        String username = Keycloak.uniqueUsername("pagefast");
        Keycloak.createUser(username, "Page", "Fast");
        String token = Keycloak.newToken(username);
        String channel = TestData.networkChannel(pool);
        long thread = thread(channel, "Rate limited through the page", 0, new java.util.ArrayList<>());
        org.jsoup.nodes.Document page = org.roundtable.support.Pages.page(username, "/threads/" + thread);
        for (int i = 1; i <= 3; i++) {
            ModerationApiTest.withToken(token).body(Map.of("body", "Post " + i)).post("/api/threads/" + thread + "/posts")
                    .then().statusCode(201);
        }
        io.restassured.response.Response refused = org.roundtable.support.Pages.submit(username, page, "form.composer",
                Map.of("body", "My carefully written reply", "action", "post"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).matches("\\d+");
        org.jsoup.nodes.Document form = org.jsoup.Jsoup.parse(refused.asString());
        assertThat(form.select(".form-errors").text()).contains("Nothing was posted");
        assertThat(form.select("textarea#body").val()).isEqualTo("My carefully written reply");
    }

    @Test
    void shouldLimitNewThreadsOfMembersInTheirFirstWeek() {
        String token = ModerationApiTest.newMember("newbie");
        String channel = TestData.networkChannel(pool);
        for (int i = 1; i <= 2; i++) {
            ModerationApiTest.withToken(token).body(Map.of("title", "My thread number " + i, "body", "x"))
                    .post("/api/channels/" + channel + "/threads").then().statusCode(201);
        }
        ModerationApiTest.withToken(token).body(Map.of("title", "My third thread", "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(429)
                .body("detail", containsString("first 7 days"));
    }

    @Test
    void shouldLimitTheNewThreadsOfNewMembersAnonymousOnesTooUnderKeyedCounters() {
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        String named = TestData.networkChannel(pool);
        org.roundtable.support.Hours.withinOneHour(() -> {
            // Anonymous threads first: two, then a third is refused, anonymous or under the name.
            String anonymousFirst = ModerationApiTest.newMember("anonnewbie");
            startThread(anonymousFirst, undiscussables, 201);
            startThread(anonymousFirst, undiscussables, 201);
            startThread(anonymousFirst, undiscussables, 429);
            startThread(anonymousFirst, named, 429);
            // And the other way round: one under the name, one anonymous, then neither.
            String namedFirst = ModerationApiTest.newMember("namednewbie");
            startThread(namedFirst, named, 201);
            startThread(namedFirst, undiscussables, 201);
            startThread(namedFirst, undiscussables, 429);
            startThread(namedFirst, named, 429);
        });
        // The anonymous threads were counted under keys that name nobody: the counters have no member column.
        long memberColumns = pool.preparedQuery("""
                select count(*) from information_schema.columns where table_name = 'anonymous_counter' and column_name like '%member%'
                """).execute().await().indefinitely().iterator().next().getLong(0);
        assertThat(memberColumns).isZero();
    }

    private void startThread(String token, String channel, int status) {
        var response = ModerationApiTest.withToken(token).body(Map.of("title", "A thread of a new member", "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(status);
        if (status == 429) {
            response.header("Retry-After", matchesPattern("\\d+")).body("detail", containsString("first 7 days"));
        }
    }

    @Test
    void shouldLimitFlagsPerDay() {
        String token = ModerationApiTest.newMember("flagger");
        String channel = TestData.networkChannel(pool);
        java.util.List<Long> list = new java.util.ArrayList<>();
        thread(channel, "Flag me thrice", 2, list);
        long[] posts = { list.get(0), list.get(1), list.get(2) };
        ModerationApiTest.withToken(token).body(Map.of("reason", "spam")).post("/api/posts/" + posts[0] + "/flags").then().statusCode(201);
        ModerationApiTest.withToken(token).body(Map.of("reason", "spam")).post("/api/posts/" + posts[1] + "/flags").then().statusCode(201);
        ModerationApiTest.withToken(token).body(Map.of("reason", "spam")).post("/api/posts/" + posts[2] + "/flags")
                .then().statusCode(429).header("Retry-After", matchesPattern("\\d+"));
        given().auth().oauth2(Keycloak.token("fran")).contentType(ContentType.JSON).get("/api/review-queue").then()
                .body("find { it.postId == " + posts[2] + " }", org.hamcrest.Matchers.nullValue());
    }
}
