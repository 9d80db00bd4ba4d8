package org.roundtable.anonymity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Hours;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

@QuarkusTest
class AnonymityApiTest {

    @Inject
    Pool pool;

    String channel;
    // The anonymous writers of each test are members of their own, so that the hourly limit of anonymous posts
    // of one test never spills into another.
    static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void undiscussables() {
        for (String role : List.of("alice", "bob")) {
            String username = Keycloak.uniqueUsername(role);
            Keycloak.createUser(username, role.substring(0, 1).toUpperCase() + role.substring(1), "Tester");
            TOKENS.put(role, Keycloak.newToken(username));
        }
        for (String user : List.of("alice", "bob", "carmen", "fran", "ada")) {
            as(user).get("/api/me").then().statusCode(200);
        }
        TestData.networkOfAtLeast(pool, 8);
        channel = TestData.channel(pool, "undiscussables");
    }

    /** "alice" and "bob" are this test's own anonymous writers; the others are the demo realm's users. */
    static RequestSpecification as(String user) {
        String token = TOKENS.containsKey(user) ? TOKENS.get(user) : Keycloak.token(user);
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    long thread(String user, String title) {
        return as(user).body(Map.of("title", title, "body", "Something nobody says out loud."))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    long reply(String user, long thread, Long replyTo, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        json.put("replyTo", replyTo);
        return as(user).body(json).post("/api/threads/" + thread + "/posts").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    @Test
    void shouldShowAStablePseudonymInsideAThreadAndAnotherInTheNext() {
        long first = thread("alice", "A budget decision I disagree with");
        JsonPath asBob = as("bob").get("/api/threads/" + first).then().statusCode(200).extract().jsonPath();
        String handle = asBob.getString("author.pseudonym");
        assertThat(handle).startsWith("Anonymous · ");
        assertThat(asBob.getString("author.username")).isNull();
        assertThat(asBob.getString("author.name")).isNull();
        assertThat(asBob.getBoolean("mine")).isFalse();
        assertThat(as("alice").get("/api/threads/" + first).then().extract().jsonPath().getBoolean("mine")).isTrue();

        long own = reply("alice", first, null, "Adding some context.");
        long bobs = reply("bob", first, null, "I have seen this too.");
        JsonPath thread = as("carmen").get("/api/threads/" + first).then().extract().jsonPath();
        assertThat(thread.getString("posts.find { it.id == " + own + " }.author.pseudonym")).isEqualTo(handle);
        assertThat(thread.getBoolean("posts.find { it.id == " + own + " }.opener")).isTrue();
        assertThat(thread.getBoolean("posts.find { it.id == " + bobs + " }.opener")).isFalse();
        assertThat(thread.getString("posts.find { it.id == " + bobs + " }.author.pseudonym"))
                .startsWith("Anonymous · ");

        long second = thread("alice", "Another thing nobody says");
        List<Row> rows = rows("select t.id, t.author_id, t.author_pseudonym from thread t where t.id = any($1) order by t.id",
                Tuple.of(new Long[] { first, second }));
        assertThat(rows.get(0).getString("author_pseudonym")).isNotEqualTo(rows.get(1).getString("author_pseudonym"));
        assertThat(rows).allSatisfy(r -> assertThat(r.getLong("author_id")).isNull());
        List<Row> posts = rows("select author_id, pseudonym from post where thread_id = $1", Tuple.of(first));
        assertThat(posts).allSatisfy(r -> assertThat(r.getLong("author_id")).isNull());
        assertThat(posts.stream().map(r -> r.getString("pseudonym")).distinct()).hasSize(2);
        // Times are coarse: to the hour.
        assertThat(rows("select count(*) from post where thread_id = $1 and created_at <> date_trunc('hour', created_at)",
                Tuple.of(first)).get(0).getLong(0)).isZero();
    }

    @Test
    void shouldRefuseAnonymousPostingOutsideTheUndiscussables() {
        String open = TestData.networkChannel(pool);
        as("alice").body(Map.of("title", "Not here please", "body", "x", "anonymous", true))
                .post("/api/channels/" + open + "/threads")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("only possible in the undiscussables"));
    }

    @Test
    void shouldLetOnlyTheAnonymousAuthorEditDeleteAndAcceptByTheirPseudonym() {
        long thread = thread("alice", "Who may touch my anonymous post?");
        long opening = as("alice").get("/api/threads/" + thread).then().extract().jsonPath().getLong("posts[0].id");
        for (String other : List.of("bob", "fran", "ada")) {
            as(other).body(Map.of("body", "taken over", "version", 1)).patch("/api/posts/" + opening)
                    .then().statusCode(403);
            as(other).delete("/api/posts/" + opening).then().statusCode(403);
        }
        as("alice").body(Map.of("body", "Edited by its author", "version", 1)).patch("/api/posts/" + opening)
                .then().statusCode(200).body("version", equalTo(2)).body("author.username", nullValue());
        assertThat(rows("select editor_id from post_revision where post_id = $1", Tuple.of(opening)))
                .singleElement().satisfies(r -> assertThat(r.getLong("editor_id")).isNull());
        as("carmen").get("/api/posts/" + opening + "/revisions").then().statusCode(200)
                .body("[0].editor", startsWith("Anonymous · "));

        long answer = reply("bob", thread, null, "Here is what worked for us.");
        as("bob").body(Map.of("postId", answer)).put("/api/threads/" + thread + "/answer").then().statusCode(403);
        as("fran").body(Map.of("postId", answer)).put("/api/threads/" + thread + "/answer").then().statusCode(403);
        as("alice").body(Map.of("postId", answer)).put("/api/threads/" + thread + "/answer").then().statusCode(200)
                .body("solved", equalTo(true));

        long mine = reply("alice", thread, answer, "Thank you.");
        as("alice").delete("/api/posts/" + mine).then().statusCode(204);
    }

    @Test
    void shouldRefuseAnonymousPostingBelowTheCrowdThresholdWithTheReason() {
        for (String demo : List.of("alice", "bob")) { // the demo realm's alice and bob, as members
            given().auth().oauth2(Keycloak.token(demo)).get("/api/me").then().statusCode(200);
        }
        String small = TestData.cohortUndiscussables(pool, "alice", "bob");
        TestData.seatedLongAgo(pool, small);
        given().auth().oauth2(Keycloak.token("alice")).contentType(ContentType.JSON)
                .body(Map.of("title", "Too few to hide in", "body", "x"))
                .post("/api/channels/" + small + "/threads")
                .then().statusCode(409)
                .body("detail", containsString("at least 8 members"))
                .body("detail", containsString("has 2"));
        assertThat(rows("select count(*) from thread t join channel c on c.id = t.channel_id where c.slug = $1",
                Tuple.of(small)).get(0).getLong(0)).isZero();
    }

    @Test
    void shouldHoldAnonymousPostsForApprovalAndShowThemToTheAuthorAndFacilitatorsOnly() {
        long thread = thread("alice", "Approval on this channel");
        as("bob").put("/api/channels/" + channel + "/approval").then().statusCode(403);
        as("fran").put("/api/channels/" + channel + "/approval").then().statusCode(204);

        long held = reply("alice", thread, null, "Held until a facilitator looks.");
        as("alice").get("/api/posts/" + held).then().statusCode(200).body("held", equalTo(true));
        as("carmen").get("/api/posts/" + held).then().statusCode(404);
        assertThat(as("carmen").get("/api/threads/" + thread).then().extract().jsonPath().getList("posts.id", Long.class))
                .doesNotContain(held);
        as("fran").get("/api/review-queue/held").then().statusCode(200)
                .body("find { it.postId == " + held + " }.author", startsWith("Anonymous · "));
        as("bob").get("/api/review-queue/held").then().statusCode(200).body("find { it.postId == " + held + " }", nullValue());
        as("bob").get("/api/review-queue").then().statusCode(403);

        as("carmen").post("/api/posts/" + held + "/approval").then().statusCode(404);
        as("fran").post("/api/posts/" + held + "/approval").then().statusCode(204);
        as("carmen").get("/api/posts/" + held).then().statusCode(200).body("held", equalTo(false));
        as("fran").delete("/api/channels/" + channel + "/approval").then().statusCode(204);
    }

    @Test
    void shouldBlockAPseudonymInOneThreadWithoutEverNamingTheMember() {
        long thread = thread("alice", "A thread that gets heated");
        long bobs = reply("bob", thread, null, "Something over the line.");
        as("carmen").body(Map.of("reason", "no")).put("/api/posts/" + bobs + "/author-block").then().statusCode(403);
        as("fran").body(Map.of("reason", "Personal attack")).put("/api/posts/" + bobs + "/author-block")
                .then().statusCode(204);

        as("bob").body(Map.of("body", "Again")).post("/api/threads/" + thread + "/posts")
                .then().statusCode(403).body("detail", containsString("blocked you from posting in this thread"));
        reply("alice", thread, null, "Others can still post.");
        long other = thread("carmen", "Bob can post elsewhere");
        reply("bob", other, null, "Still allowed here.");

        Row audit = rows("select actor_id, target_pseudonym, before, after, reason from audit_entry "
                + "where action = 'pseudonym.block' and target_id = $1", Tuple.of(String.valueOf(bobs))).get(0);
        assertThat(audit.getString("target_pseudonym")).hasSize(64);
        assertThat(audit.getString("reason")).isEqualTo("Personal attack");
        Row block = rows("select pseudonym from pseudonym_block where thread_id = $1", Tuple.of(thread)).get(0);
        assertThat(block.getString("pseudonym")).isEqualTo(audit.getString("target_pseudonym"));
    }

    @Test
    void shouldLimitAnonymousPostsPerHourUnderAKeyedCounterThatNamesNobody() {
        Hours.withinOneHour(this::tenAnonymousPostsAnHour);
    }

    private void tenAnonymousPostsAnHour() {
        String username = Keycloak.uniqueUsername("rate");
        Keycloak.createUser(username, "Rae", "Limit");
        String token = Keycloak.newToken(username);
        long thread = thread("alice", "Rate limits for anonymous posts");
        String ofTheHour = "select count(*) from anonymous_counter where window_start = date_trunc('hour', now())";
        long before = rows(ofTheHour, Tuple.tuple()).get(0).getLong(0);
        for (int i = 0; i < 10; i++) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "Post " + i))
                    .post("/api/threads/" + thread + "/posts").then().statusCode(201);
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "One too many"))
                .post("/api/threads/" + thread + "/posts")
                .then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .body("detail", containsString("not posted"));
        // The counter table has no member column and no count: one row per counted post, keyed by an HMAC.
        List<Row> columns = rows("select column_name from information_schema.columns where table_name = 'anonymous_counter'",
                Tuple.tuple());
        assertThat(columns.stream().map(r -> r.getString(0))).containsExactlyInAnyOrder("key_hash", "window_start");
        assertThat(rows("select count(*) from post where thread_id = $1 and source = 'One too many'", Tuple.of(thread))
                .get(0).getLong(0)).isZero();
        // Ten posts of one member, ten rows of the hour that cannot be told apart (the refused one left none): the table
        // says how many anonymous posts the hour had, never how many came from one author.
        assertThat(rows(ofTheHour, Tuple.tuple()).get(0).getLong(0) - before).isEqualTo(10);
    }

    // ---------------------------------------------------------------- the crowd (issue 14, leak 4)

    @Test
    void shouldNotLetDormantOrJustAddedSeatsMakeACrowd() {
        String writer = TestData.member("padwriter");
        String other = TestData.member("padother");
        String cohort = TestData.cohortUndiscussables(pool, writer, other);
        TestData.seatedLongAgo(pool, cohort);
        String[] padding = new String[8];
        for (int i = 0; i < padding.length; i++) {
            padding[i] = TestData.memberRow(pool, "padding"); // accounts that never logged in
        }
        TestData.addToCohort(pool, cohort, "member", padding);
        Tuple seats = Tuple.of(cohort, padding);
        String seatsOf = "cohort_member cm using cohort c, member m where c.id = cm.cohort_id and c.slug = $1 "
                + "and m.id = cm.member_id and m.username = any($2)";

        // Ten seats, two of them people: no crowd.
        refusedAnonymously(writer, cohort, "has 2");
        // Seated for a month, but never seen: no crowd.
        sql("update " + seatsOf.replace(" using ", " set joined_at = now() - interval '30 days' from "), seats);
        refusedAnonymously(writer, cohort, "has 2");
        // Seen today, but added just now: no crowd.
        sql("update " + seatsOf.replace(" using ", " set joined_at = now() from "), seats);
        sql("update member set last_seen_on = current_date where username = any($1)", Tuple.of((Object) padding));
        refusedAnonymously(writer, cohort, "has 2");
        // Seen within the last 30 days and in the cohort for more than 72 hours: ten people, a crowd.
        sql("update " + seatsOf.replace(" using ", " set joined_at = now() - interval '73 hours' from "), seats);
        sql("update member set last_seen_on = current_date - 29 where username = any($1)", Tuple.of((Object) padding));
        given().auth().oauth2(Keycloak.token(writer)).contentType(ContentType.JSON)
                .body(Map.of("title", "Ten of us now", "body", "x")).post("/api/channels/" + cohort + "/threads")
                .then().statusCode(201);
    }

    private void refusedAnonymously(String writer, String cohort, String reason) {
        given().auth().oauth2(Keycloak.token(writer)).contentType(ContentType.JSON)
                .body(Map.of("title", "Padded crowd", "body", "x")).post("/api/channels/" + cohort + "/threads")
                .then().statusCode(409).body("detail", containsString("at least 8 members")).body("detail", containsString(reason));
        assertThat(Pages.page(writer, "/channels/" + cohort + "/new").select(".crowd-notice").text()).contains(reason);
    }

    // ---------------------------------------------------------------- the badge (issue 14, leak 3)

    @Test
    void shouldListAndCountTheAuthorsNotificationsOfTheirOwnAnonymousPostAsAnyoneElsesAtTheHoursEnd() {
        Hours.withinOneHour(this::ownAnonymousPostNotifiesLikeAnyoneElses);
    }

    private void ownAnonymousPostNotifiesLikeAnyoneElses() {
        String writer = TestData.member("selfwriter");
        String other = TestData.member("otherwriter");
        long thread = thread("carmen", "Whose reply is whose");
        // The writer answers herself anonymously, mentioning herself; someone else does the same to the other member.
        long mine = namedReply(writer, thread, "Under my name.");
        long toMine = anonymousReply(writer, thread, mine, "Anonymously, @" + writer + ", I agree with you.");
        long theirs = namedReply(other, thread, "Under my name too.");
        long toTheirs = anonymousReply("carmen", thread, theirs, "Anonymously, @" + other + ", I agree with you.");

        // Until the hour's end nothing shows, for the writer as for the other: no badge, nothing in the list.
        for (String member : List.of(writer, other)) {
            JsonPath before = given().auth().oauth2(Keycloak.token(member)).get("/api/notifications").then().extract().jsonPath();
            assertThat(before.getInt("unread")).as(member).isZero();
            assertThat(before.getList("notifications")).as(member).isEmpty();
            assertThat(Pages.page(member, "/notifications").select("header .badge")).as(member).isEmpty();
        }
        // The hour ends (the notifications' delivery time is moved back by one hour).
        sql("update notification set created_at = created_at - interval '1 hour' where post_id = any($1)",
                Tuple.of((Object) new Long[] { toMine, toTheirs }));

        // Then both see the same: a reply and a mention from a pseudonym, counted in the badge and listed.
        for (String member : List.of(writer, other)) {
            long post = member.equals(writer) ? toMine : toTheirs;
            JsonPath after = given().auth().oauth2(Keycloak.token(member)).get("/api/notifications").then().extract().jsonPath();
            assertThat(after.getList("notifications.kind", String.class)).as(member).containsExactlyInAnyOrder("reply", "mention");
            assertThat(after.getList("notifications.postId", Long.class)).as(member).containsOnly(post);
            assertThat(after.getList("notifications.actorLabel", String.class)).as(member)
                    .allSatisfy(label -> assertThat(label).startsWith("Anonymous · "));
            assertThat(after.getInt("unread")).as(member).isEqualTo(2);
            org.jsoup.nodes.Document page = Pages.page(member, "/notifications");
            assertThat(page.select("header .badge").text()).as(member).isEqualTo("2");
            assertThat(page.select("li.notification.unread")).as(member).hasSize(2);
        }
    }

    long namedReply(String user, long thread, String body) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON)
                .body(Map.of("body", body, "anonymous", false)).post("/api/threads/" + thread + "/posts")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    long anonymousReply(String user, long thread, long replyTo, String body) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON)
                .body(Map.of("body", body, "replyTo", replyTo)).post("/api/threads/" + thread + "/posts")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private void sql(String sql, Tuple params) {
        pool.preparedQuery(sql).execute(params).await().indefinitely();
    }

    @Test
    void shouldTellTheAnonymousAuthorAboutRepliesWithoutStoringALink() {
        Hours.withinOneHour(this::repliesWithoutALink);
    }

    private void repliesWithoutALink() {
        long thread = thread("alice", "Replies reach me without a link");
        long opening = as("alice").get("/api/threads/" + thread).then().extract().jsonPath().getLong("posts[0].id");
        Map<String, Object> named = new HashMap<>(Map.of("body", "A reply to the anonymous question.", "anonymous", false));
        named.put("replyTo", opening);
        long bobs = as("bob").body(named).post("/api/threads/" + thread + "/posts").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long carmens = reply("carmen", thread, opening, "An anonymous reply to the anonymous question.");

        // A reply under a name shows at once; an anonymous one after its hour, like the notifications it would cause.
        JsonPath now = as("alice").get("/api/notifications").then().statusCode(200).extract().jsonPath();
        assertThat(now.getList("repliesToYourAnonymousPosts.postId", Long.class)).contains(bobs).doesNotContain(carmens);
        assertThat(now.getLong("repliesToYourAnonymousPosts.find { it.postId == " + bobs + " }.threadId")).isEqualTo(thread);
        pool.preparedQuery("update post set created_at = created_at - interval '1 hour' where id = $1")
                .execute(Tuple.of(carmens)).await().indefinitely();
        assertThat(as("alice").get("/api/notifications").then().extract().jsonPath()
                .getList("repliesToYourAnonymousPosts.postId", Long.class)).contains(bobs, carmens);
        as("carmen").get("/api/notifications").then().statusCode(200)
                .body("repliesToYourAnonymousPosts.find { it.postId == " + bobs + " }", nullValue());
        assertThat(rows("select count(*) from notification where post_id = any($1)", Tuple.of((Object) new Long[] { bobs, carmens }))
                .get(0).getLong(0)).isZero();
    }

    @Test
    void shouldStoreReactionsInTheUndiscussablesUnderPseudonyms() {
        long thread = thread("alice", "Reactions under pseudonyms");
        long opening = as("alice").get("/api/threads/" + thread).then().extract().jsonPath().getLong("posts[0].id");
        as("bob").put("/api/posts/" + opening + "/reactions/thanks").then().statusCode(200)
                .body("find { it.kind == 'thanks' }.count", equalTo(1))
                .body("find { it.kind == 'thanks' }.mine", equalTo(true));
        as("alice").put("/api/posts/" + opening + "/reactions/thanks").then().statusCode(409);
        Row reaction = rows("select member_id, pseudonym from reaction where post_id = $1", Tuple.of(opening)).get(0);
        assertThat(reaction.getLong("member_id")).isNull();
        assertThat(reaction.getString("pseudonym")).hasSize(64);
        as("bob").get("/api/threads/" + thread).then().body("posts[0].myReactions", equalTo(List.of("thanks")));
    }

    private List<Row> rows(String sql, Tuple params) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(params).await().indefinitely().forEach(rows::add);
        return rows;
    }
}
