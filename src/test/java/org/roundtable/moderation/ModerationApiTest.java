package org.roundtable.moderation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

@QuarkusTest
class ModerationApiTest {

    @Inject
    Pool pool;

    @BeforeEach
    void members() {
        for (String user : List.of("alice", "bob", "carmen", "fran", "ada")) {
            as(user).get("/api/me").then().statusCode(200);
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    static RequestSpecification withToken(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** A new member of the realm; returns a token. */
    static String newMember(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, "Test", prefix);
        String token = Keycloak.newToken(username);
        withToken(token).get("/api/me").then().statusCode(200);
        return token;
    }

    @Test
    void shouldHidePostAtThreeFlagsShowItInTheQueueAndBringItBackWhenKept() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A post that gets flagged", "Opening");
        long post = TestData.reply("alice", thread, null, "Something people object to.");
        String third = newMember("flagger");

        as("alice").body(Map.of("reason", "spam")).post("/api/posts/" + post + "/flags").then().statusCode(409)
                .body("detail", containsString("own post"));
        as("bob").body(Map.of("reason", "inappropriate")).post("/api/posts/" + post + "/flags").then().statusCode(201);
        as("bob").body(Map.of("reason", "spam")).post("/api/posts/" + post + "/flags").then().statusCode(409)
                .body("detail", containsString("already flagged"));
        as("carmen").body(Map.of("reason", "other")).post("/api/posts/" + post + "/flags").then().statusCode(400)
                .body("errors.text", containsString("needs a few words"));
        as("carmen").body(Map.of("reason", "other", "text", "Names a colleague")).post("/api/posts/" + post + "/flags")
                .then().statusCode(201);
        as("carmen").get("/api/posts/" + post).then().body("hidden", equalTo(false));

        withToken(third).body(Map.of("reason", "off-topic")).post("/api/posts/" + post + "/flags").then().statusCode(201);
        // Hidden pending review: a placeholder for members, the text for the author and the facilitators.
        as("carmen").get("/api/posts/" + post).then().body("hidden", equalTo(true)).body("html", equalTo(""));
        as("alice").get("/api/posts/" + post).then().body("hidden", equalTo(true)).body("html", containsString("object to"));
        as("fran").get("/api/posts/" + post).then().body("html", containsString("object to"));

        as("fran").get("/api/review-queue").then().statusCode(200)
                .body("find { it.postId == " + post + " }.flags.size()", equalTo(3))
                .body("find { it.postId == " + post + " }.flags.reason", hasItem("inappropriate"))
                .body("find { it.postId == " + post + " }.hidden", equalTo(true));
        as("bob").get("/api/review-queue").then().statusCode(403);
        // The author is never told who flagged.
        as("alice").get("/api/notifications").then().body("notifications.find { it.postId == " + post + " }", nullValue());

        as("fran").body(Map.of("action", "keep", "reason", "Robust but fair")).post("/api/review-queue/" + post + "/decision")
                .then().statusCode(204);
        as("carmen").get("/api/posts/" + post).then().body("hidden", equalTo(false)).body("html", containsString("object to"));
        as("fran").get("/api/review-queue").then().body("find { it.postId == " + post + " }", nullValue());

        assertThat(count("select count(*) from notification n join member m on m.id = n.member_id "
                + "where n.kind = 'moderation' and n.post_id = $1 and m.username in ('bob', 'carmen')", post)).isEqualTo(2);
        as("ada").queryParam("action", "review.keep").get("/api/audit").then().statusCode(200)
                .body("find { it.targetId == '" + post + "' }.actor", equalTo("fran"))
                .body("find { it.targetId == '" + post + "' }.reason", equalTo("Robust but fair"));
        as("ada").queryParam("action", "post.hide.flags").get("/api/audit").then()
                .body("find { it.targetId == '" + post + "' }.actor", nullValue());
    }

    @Test
    void shouldLockPinCloseAndMoveWithinWhatTheFacilitatorModerates() {
        String channel = TestData.networkChannel(pool);
        String other = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Thread states", "Body");

        as("bob").put("/api/threads/" + thread + "/lock").then().statusCode(403);
        as("fran").put("/api/threads/" + thread + "/lock").then().statusCode(204);
        as("bob").body(Map.of("body", "Too late")).post("/api/threads/" + thread + "/posts").then().statusCode(409)
                .body("detail", containsString("locked"));
        as("fran").delete("/api/threads/" + thread + "/lock").then().statusCode(204);
        TestData.reply("bob", thread, null, "Open again");

        long older = TestData.thread("alice", channel, "An older thread", "x");
        TestData.thread("alice", channel, "A newer thread", "x");
        as("fran").put("/api/threads/" + older + "/pin").then().statusCode(204);
        as("bob").get("/api/channels/" + channel + "/threads").then().body("threads[0].id", equalTo((int) older));

        as("fran").put("/api/threads/" + thread + "/closed").then().statusCode(204);
        as("bob").body(Map.of("body", "Closed?")).post("/api/threads/" + thread + "/posts").then().statusCode(409);
        as("fran").delete("/api/threads/" + thread + "/closed").then().statusCode(204);

        as("fran").body(Map.of("channel", other, "reason", "Fits better there")).post("/api/threads/" + thread + "/move")
                .then().statusCode(204);
        as("bob").get("/api/threads/" + thread).then().body("channel", equalTo(other));
        as("fran").body(Map.of("channel", "no-such-channel")).post("/api/threads/" + thread + "/move").then().statusCode(400);

        as("ada").queryParam("actor", "fran").queryParam("action", "thread.").get("/api/audit").then().statusCode(200)
                .body("findAll { it.targetId == '" + thread + "' }.action", org.hamcrest.Matchers.hasItems(
                        "thread.lock", "thread.unlock", "thread.close", "thread.move"));
    }

    @Test
    void shouldKeepCohortFacilitatorsToTheirCohortAndAskBeforeWideningAnAudience() {
        String facilitator = newMember("cofac");
        long facilitatorId = memberId(facilitator);
        String cohort = "co-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        exec("insert into cohort (slug, name) values ($1, $1)", Tuple.of(cohort));
        exec("insert into cohort_member (cohort_id, member_id, role) select id, $2, 'facilitator' from cohort where slug = $1",
                Tuple.of(cohort, facilitatorId));
        exec("insert into cohort_member (cohort_id, member_id) select c.id, m.id from cohort c, member m "
                + "where c.slug = $1 and m.username = 'alice'", Tuple.of(cohort));
        String cohortChannel = cohort + "-talk";
        exec("insert into channel (slug, name, kind, cohort_id) select $2, $2, 'cohort', id from cohort where slug = $1",
                Tuple.of(cohort, cohortChannel));
        String cohortChannel2 = cohort + "-more";
        exec("insert into channel (slug, name, kind, cohort_id) select $2, $2, 'cohort', id from cohort where slug = $1",
                Tuple.of(cohort, cohortChannel2));
        long cohortThread = TestData.thread("alice", cohortChannel, "Inside the cohort", "x");
        String network = TestData.networkChannel(pool);
        long networkThread = TestData.thread("alice", network, "Network thread", "x");

        withToken(facilitator).put("/api/threads/" + cohortThread + "/pin").then().statusCode(204);
        withToken(facilitator).put("/api/threads/" + networkThread + "/lock").then().statusCode(403);
        // Another cohort's thread does not exist for them.
        as("bob").get("/api/threads/" + cohortThread).then().statusCode(404);
        as("bob").put("/api/threads/" + cohortThread + "/lock").then().statusCode(404);
        // The network facilitator is not the cohort's facilitator.
        as("fran").put("/api/threads/" + cohortThread + "/lock").then().statusCode(404);
        as("ada").put("/api/threads/" + cohortThread + "/lock").then().statusCode(204);

        withToken(facilitator).body(Map.of("channel", cohortChannel2)).post("/api/threads/" + cohortThread + "/move")
                .then().statusCode(204);
        withToken(facilitator).body(Map.of("channel", network)).post("/api/threads/" + cohortThread + "/move")
                .then().statusCode(403);
        as("ada").body(Map.of("channel", network)).post("/api/threads/" + cohortThread + "/move")
                .then().statusCode(409).body("detail", containsString("wider audience"));
        as("bob").get("/api/threads/" + cohortThread).then().statusCode(404);
        as("ada").body(Map.of("channel", network, "confirmWiderAudience", true)).post("/api/threads/" + cohortThread + "/move")
                .then().statusCode(204);
        as("bob").get("/api/threads/" + cohortThread).then().statusCode(200);

        // Their audit log is their cohort's.
        List<String> actions = withToken(facilitator).get("/api/audit").then().statusCode(200)
                .extract().jsonPath().getList("channel", String.class);
        assertThat(actions).isNotEmpty().allSatisfy(c -> assertThat(c).startsWith(cohort));
        as("bob").get("/api/audit").then().statusCode(403);
    }

    @Test
    void shouldSuspendAMemberWhoThenReadsButWritesNothing() {
        String token = newMember("suspended");
        long id = memberId(token);
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Suspension test thread", "Body");
        long earlier = withToken(token).body(Map.of("body", "Written before the suspension"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");

        as("fran").body(Map.of("reason", "x")).put("/api/members/" + id + "/suspension").then().statusCode(403);
        as("ada").body(Map.of("reason", " ")).put("/api/members/" + id + "/suspension").then().statusCode(400);
        as("ada").body(Map.of("reason", "Repeated personal attacks")).put("/api/members/" + id + "/suspension")
                .then().statusCode(204);

        withToken(token).get("/api/threads/" + thread).then().statusCode(200);
        withToken(token).body(Map.of("body", "After")).post("/api/threads/" + thread + "/posts").then().statusCode(403)
                .body("detail", containsString("Repeated personal attacks"));
        withToken(token).body(Map.of("title", "A new thread", "body", "x")).post("/api/channels/" + channel + "/threads")
                .then().statusCode(403).body("detail", containsString("suspended"));
        withToken(token).put("/api/posts/" + TestData.openingPost("alice", thread) + "/reactions/thanks").then().statusCode(403);
        withToken(token).body(Map.of("body", "Edited", "version", 1)).patch("/api/posts/" + earlier).then().statusCode(403);
        withToken(token).get("/api/posts/" + earlier).then().statusCode(200).body("html", containsString("before the suspension"));

        as("ada").delete("/api/members/" + id + "/suspension").then().statusCode(204);
        withToken(token).body(Map.of("body", "Back")).post("/api/threads/" + thread + "/posts").then().statusCode(201);
        as("ada").queryParam("action", "member.").get("/api/audit").then()
                .body("findAll { it.targetId == '" + id + "' }.action", org.hamcrest.Matchers.hasItems("member.suspend", "member.unsuspend"));
    }

    @Test
    void shouldSilenceAMemberInOneCohortOnly() {
        String member = newMember("silenced");
        long memberId = memberId(member);
        String cohort = "si-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        exec("insert into cohort (slug, name) values ($1, $1)", Tuple.of(cohort));
        exec("insert into cohort_member (cohort_id, member_id, role) select c.id, m.id, 'facilitator' from cohort c, member m "
                + "where c.slug = $1 and m.username = 'carmen'", Tuple.of(cohort));
        exec("insert into cohort_member (cohort_id, member_id) select id, $2 from cohort where slug = $1", Tuple.of(cohort, memberId));
        exec("insert into channel (slug, name, kind, cohort_id) select $1, $1, 'cohort', id from cohort where slug = $1", Tuple.of(cohort));
        long thread = TestData.thread("carmen", cohort, "Cohort thread", "x");

        as("bob").body(Map.of("cohort", cohort, "reason", "x")).put("/api/members/" + memberId + "/silence").then().statusCode(404);
        as("carmen").body(Map.of("cohort", cohort, "reason", "Cooling off")).put("/api/members/" + memberId + "/silence")
                .then().statusCode(204);
        withToken(member).body(Map.of("body", "Can I?")).post("/api/threads/" + thread + "/posts").then().statusCode(403)
                .body("detail", containsString("Cooling off"));
        String network = TestData.networkChannel(pool);
        withToken(member).body(Map.of("title", "Elsewhere is fine", "body", "x")).post("/api/channels/" + network + "/threads")
                .then().statusCode(201);
        as("carmen").delete("/api/members/" + memberId + "/silence/" + cohort).then().statusCode(204);
        withToken(member).body(Map.of("body", "Now I can")).post("/api/threads/" + thread + "/posts").then().statusCode(201);
    }

    @Test
    void shouldModerateAnonymousPostsWithoutNamingTheirAuthors() {
        TestData.networkOfAtLeast(pool, 8);
        String channel = TestData.channel(pool, "undiscussables");
        String writer = newMember("anon");
        long thread = withToken(writer).body(Map.of("title", "Anonymous and flagged", "body", "x"))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        long post = TestData.openingPost("bob", thread);
        as("bob").body(Map.of("reason", "inappropriate")).post("/api/posts/" + post + "/flags").then().statusCode(201);
        as("fran").get("/api/review-queue").then()
                .body("find { it.postId == " + post + " }.author", org.hamcrest.Matchers.startsWith("Anonymous · "));
        as("fran").body(Map.of("action", "hide", "reason", "Names a student")).post("/api/review-queue/" + post + "/decision")
                .then().statusCode(204);
        Row audit = rows("select actor_id, target_pseudonym from audit_entry where action = 'review.hide' and target_id = $1",
                Tuple.of(String.valueOf(post))).get(0);
        assertThat(audit.getString("target_pseudonym")).hasSize(64);
        // bob is told the outcome, not who decided.
        assertThat(rows("select actor_id from notification n join member m on m.id = n.member_id "
                + "where m.username = 'bob' and n.post_id = $1 and n.kind = 'moderation'", Tuple.of(post)))
                .singleElement().satisfies(r -> assertThat(r.getLong("actor_id")).isNull());
    }

    private long memberId(String token) {
        return withToken(token).get("/api/me").then().extract().jsonPath().getLong("id");
    }

    private void exec(String sql, Tuple params) {
        pool.preparedQuery(sql).execute(params).await().indefinitely();
    }

    private long count(String sql, long param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong(0);
    }

    private List<Row> rows(String sql, Tuple params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(params).await().indefinitely().forEach(rows::add);
        return rows;
    }
}
