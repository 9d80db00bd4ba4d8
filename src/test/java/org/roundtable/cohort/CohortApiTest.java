package org.roundtable.cohort;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

@QuarkusTest
class CohortApiTest {

    @Inject
    Pool pool;

    static String admin;
    static String facilitator;
    static String member;
    static String outsider;

    String cohort;

    @BeforeEach
    void people() {
        if (admin == null) {
            admin = TestData.member("admin", "admin");
            facilitator = TestData.member("fac");
            member = TestData.member("mem");
            outsider = TestData.member("out");
        }
        cohort = TestData.cohort(pool, facilitator, member);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    @Test
    void shouldLetAnAdminCreateACohortAndAppointItsFacilitator() {
        String slug = "new-" + Keycloak.uniqueUsername("c");
        as(admin).body(Map.of("slug", slug, "name", "New principals 2027", "description", "First-year principals"))
                .post("/api/cohorts").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/cohorts/" + slug))
                .body("name", equalTo("New principals 2027")).body("myRole", org.hamcrest.Matchers.nullValue());
        as(admin).put("/api/cohorts/" + slug + "/facilitators/" + facilitator).then().statusCode(204);

        JsonPath page = as(facilitator).get("/api/cohorts/" + slug).then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("cohort.description")).isEqualTo("First-year principals");
        assertThat(page.getString("cohort.myRole")).isEqualTo("facilitator");
        assertThat(page.getList("facilitators.username")).containsExactly(facilitator);

        as(admin).body(Map.of("name", "New principals 2027/28")).patch("/api/cohorts/" + slug).then().statusCode(200)
                .body("name", equalTo("New principals 2027/28"));
        as(facilitator).body(Map.of("name", "Mine now")).patch("/api/cohorts/" + slug).then().statusCode(403);
        as(member).body(Map.of("slug", "x-" + slug, "name", "No")).post("/api/cohorts").then().statusCode(403);
        as(admin).body(Map.of("slug", slug, "name", "Twice")).post("/api/cohorts").then().statusCode(409);
        as(admin).body(Map.of("slug", "Not A Slug!", "name", "Bad")).post("/api/cohorts").then().statusCode(400)
                .body("errors.slug", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldAnswerNotFoundWhenNonMemberOpensCohortOrItsThreadExactlyLikeAMissingOne() {
        long thread = TestData.thread(member, cohort, "Our cohort's private question", "Only for us.");

        String missing = as(outsider).get("/api/threads/999999999").then().statusCode(404).extract().asString();
        String hidden = as(outsider).get("/api/threads/" + thread).then().statusCode(404).extract().asString();
        // only the path names the id (a bare replace of the id also hit "status":404 when the thread was number 40)
        assertThat(hidden.replace("/api/threads/" + thread + "\"", "/api/threads/ID\""))
                .isEqualTo(missing.replace("/api/threads/999999999\"", "/api/threads/ID\""));
        assertThat(hidden).doesNotContain("private question");

        String noCohort = as(outsider).get("/api/cohorts/no-such-cohort-x").then().statusCode(404).extract().asString();
        String privateCohort = as(outsider).get("/api/cohorts/" + cohort).then().statusCode(404).extract().asString();
        assertThat(privateCohort.replace(cohort, "SLUG")).isEqualTo(noCohort.replace("no-such-cohort-x", "SLUG"));

        // Writing answers the same: no reply, no thread, no reaction.
        as(outsider).body(Map.of("body", "Let me in")).post("/api/threads/" + thread + "/posts").then().statusCode(404);
        as(outsider).body(Map.of("title", "Me too", "body", "Hello")).post("/api/channels/" + cohort + "/threads")
                .then().statusCode(404);
        long opening = TestData.openingPost(member, thread);
        as(outsider).put("/api/posts/" + opening + "/reactions/thanks").then().statusCode(404);
        as(outsider).get("/api/posts/" + opening).then().statusCode(404);

        // The cohort's members, its facilitator and admins read it; a network facilitator does not.
        as(facilitator).get("/api/threads/" + thread).then().statusCode(200);
        as(admin).get("/api/threads/" + thread).then().statusCode(200);
        String networkFacilitator = TestData.member("netfac", "facilitator");
        as(networkFacilitator).get("/api/threads/" + thread).then().statusCode(404);
    }

    @Test
    void shouldKeepCohortsOutOfListsOfNonMembers() {
        long thread = TestData.thread(member, cohort, "Cohort-only agenda", "Private.");
        as(outsider).get("/api/channels").then().statusCode(200).body("slug", not(hasItem(cohort)));
        as(member).get("/api/channels").then().statusCode(200).body("slug", hasItem(cohort));
        as(outsider).get("/api/cohorts").then().statusCode(200).body("slug", not(hasItem(cohort)));
        as(member).get("/api/cohorts").then().statusCode(200).body("slug", hasItem(cohort));
        as(admin).get("/api/cohorts").then().statusCode(200).body("slug", hasItem(cohort));

        // The directory: the cohort is shared with a co-member only, and so is the thread.
        JsonPath seenByOutsider = as(outsider).get("/api/members/" + member).then().statusCode(200).extract().jsonPath();
        assertThat(seenByOutsider.getList("sharedCohorts")).isEmpty();
        assertThat(seenByOutsider.getList("threads.id", Long.class)).doesNotContain(thread);
        JsonPath seenByFacilitator = as(facilitator).get("/api/members/" + member).then().statusCode(200).extract().jsonPath();
        assertThat(seenByFacilitator.getList("sharedCohorts.slug")).contains(cohort);
        assertThat(seenByFacilitator.getList("threads.id", Long.class)).contains(thread);
        assertThat(as(outsider).get("/api/members").then().statusCode(200).extract().asString()).doesNotContain(cohort);
    }

    @Test
    void shouldNeverCountAnonymousThreadsOnAProfile() {
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long anonymous = TestData.thread(member, undiscussables, "Something nobody says", "Out loud.");
        long named = TestData.thread(member, TestData.networkChannel(pool), "A named question", "Hello.");
        JsonPath profile = as(outsider).get("/api/members/" + member).then().statusCode(200).extract().jsonPath();
        assertThat(profile.getList("threads.id", Long.class)).contains(named).doesNotContain(anonymous);
        assertThat(as(member).get("/api/members/" + member).then().extract().jsonPath().getList("threads.id", Long.class))
                .doesNotContain(anonymous);
    }

    @Test
    void shouldNotNotifyAMentionedNonMember() {
        long thread = TestData.thread(member, cohort, "Mentions in a cohort", "Hello @" + outsider + " and @" + facilitator);
        as(outsider).get("/api/notifications").then().statusCode(200)
                .body("notifications.threadId", not(hasItem((int) thread)));
        as(facilitator).get("/api/notifications").then().statusCode(200)
                .body("notifications.threadId", hasItem((int) thread));
    }

    @Test
    void shouldLetFacilitatorsCreateCohortChannelsIncludingItsOwnUndiscussables() {
        String channel = "ch-" + Keycloak.uniqueUsername("x");
        as(facilitator).body(Map.of("slug", channel, "name", "Session notes")).post("/api/cohorts/" + cohort + "/channels")
                .then().statusCode(201).body("kind", equalTo("cohort"));
        as(facilitator).body(Map.of("slug", channel + "-u", "name", "Our undiscussables", "undiscussables", true))
                .post("/api/cohorts/" + cohort + "/channels").then().statusCode(201).body("kind", equalTo("undiscussables"));
        as(member).body(Map.of("slug", channel + "-m", "name", "Mine")).post("/api/cohorts/" + cohort + "/channels")
                .then().statusCode(403);
        as(outsider).body(Map.of("slug", channel + "-o", "name", "Mine")).post("/api/cohorts/" + cohort + "/channels")
                .then().statusCode(404);
        as(facilitator).body(Map.of("slug", channel, "name", "Again")).post("/api/cohorts/" + cohort + "/channels")
                .then().statusCode(409);

        as(member).get("/api/cohorts/" + cohort).then().statusCode(200)
                .body("channels.slug", hasItem(channel)).body("channels.slug", hasItem(channel + "-u"));
        as(outsider).get("/api/channels").then().body("slug", not(hasItem(channel)));
        as(member).body(Map.of("title", "Notes of session 1", "body", "Here.")).post("/api/channels/" + channel + "/threads")
                .then().statusCode(201);
    }

    @Test
    void shouldLetMembersLeaveAndFacilitatorsRemoveMembers() {
        String other = TestData.member("other");
        TestData.addToCohort(pool, cohort, "member", other);
        long thread = TestData.thread(member, cohort, "Before I go", "Bye.");

        as(other).delete("/api/cohorts/" + cohort + "/membership").then().statusCode(204);
        as(other).get("/api/cohorts/" + cohort).then().statusCode(404);
        as(other).get("/api/threads/" + thread).then().statusCode(404);
        as(other).delete("/api/cohorts/" + cohort + "/membership").then().statusCode(404);

        as(member).delete("/api/cohorts/" + cohort + "/members/" + facilitator).then().statusCode(403);
        as(facilitator).delete("/api/cohorts/" + cohort + "/members/" + member).then().statusCode(204);
        as(member).get("/api/threads/" + thread).then().statusCode(404);
        as(facilitator).delete("/api/cohorts/" + cohort + "/members/" + member).then().statusCode(404);
        // A facilitator of another cohort knows nothing of this one.
        String otherFacilitator = TestData.member("ofac");
        TestData.cohort(pool, otherFacilitator);
        as(otherFacilitator).delete("/api/cohorts/" + cohort + "/members/" + facilitator).then().statusCode(404);
    }

    @Test
    void shouldKeepAnArchivedCohortReadableAndClosed() {
        long thread = TestData.thread(member, cohort, "Last session", "Thanks all.");
        as(facilitator).put("/api/cohorts/" + cohort + "/archived").then().statusCode(403);
        as(admin).put("/api/cohorts/" + cohort + "/archived").then().statusCode(204);

        as(member).get("/api/cohorts/" + cohort).then().statusCode(200).body("cohort.archived", equalTo(true));
        as(member).get("/api/threads/" + thread).then().statusCode(200);
        as(member).body(Map.of("body", "One more thing")).post("/api/threads/" + thread + "/posts").then().statusCode(409);
        as(member).body(Map.of("title", "A new thread", "body", "Anything new?")).post("/api/channels/" + cohort + "/threads")
                .then().statusCode(409);
        as(facilitator).body(Map.of("email", "someone@example.org")).post("/api/cohorts/" + cohort + "/invitations")
                .then().statusCode(409);

        as(admin).delete("/api/cohorts/" + cohort + "/archived").then().statusCode(204);
        as(member).body(Map.of("body", "One more thing")).post("/api/threads/" + thread + "/posts").then().statusCode(201);
    }

    @Test
    void shouldWriteAnAuditEntryForWhatAdminsAndFacilitatorsDo() {
        String other = TestData.memberRow(pool, "row");
        TestData.addToCohort(pool, cohort, "member", other);
        as(facilitator).delete("/api/cohorts/" + cohort + "/members/" + other).then().statusCode(204);
        List<String> actions = new java.util.ArrayList<>();
        pool.preparedQuery("select action from audit_entry where target_id = $1 order by id").execute(Tuple.of(cohort))
                .await().indefinitely().forEach(row -> actions.add(row.getString("action")));
        assertThat(actions).contains("cohort.member.remove");
    }
}
