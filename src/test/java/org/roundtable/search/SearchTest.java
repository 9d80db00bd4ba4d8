package org.roundtable.search;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Search against the real stack: what each reader finds (and never finds), every filter, hostile queries, anonymity,
 * ranking, pages and the number of statements. Every test searches for words it made up, so that nothing else in the
 * database matches them.
 */
@QuarkusTest
class SearchTest {

    private static final Random RANDOM = new Random();

    @Inject
    Pool pool;

    @Inject
    SearchGate gate;

    @Inject
    Database database;

    /** A made-up word nothing else contains (consonants: no English stem or stop word). */
    static String word() {
        String letters = "bcdfghjklmnpqrstvwxz";
        StringBuilder w = new StringBuilder("zq");
        for (int i = 0; i < 9; i++) {
            w.append(letters.charAt(RANDOM.nextInt(letters.length())));
        }
        return w.toString();
    }

    static RequestSpecification as(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }

    static JsonPath search(String username, String q) {
        return as(username).queryParam("q", q).get("/api/search").then().statusCode(200).extract().jsonPath();
    }

    static List<Long> threads(String username, String q) {
        return search(username, q).getList("results.threadId", Long.class);
    }

    /** The search page for a query, as the person's browser asks it (the query encoded once). */
    static Response searchPage(String username, String q) {
        Response response = given().cookies(new java.util.HashMap<>(Pages.cookies(username))).redirects().follow(false)
                .queryParam("q", q).get("/search");
        Pages.cookies(username).putAll(response.getCookies());
        return response;
    }

    static Document page(String username, String q) {
        Response response = searchPage(username, q);
        assertThat(response.statusCode()).as("search page for " + q).isEqualTo(200);
        return org.jsoup.Jsoup.parse(response.asString());
    }

    long memberId(String username) {
        return pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(username))
                .await().indefinitely().iterator().next().getLong(0);
    }

    void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().indefinitely();
    }

    // ---------------------------------------------------------------- visibility

    @Test
    void shouldFindCohortPostsOnlyForTheCohortsReadersWhateverTheirRole() {
        String outsider = TestData.member("outsider");
        String member = TestData.member("member");
        String facilitator = TestData.member("cofac");
        String networkFacilitator = TestData.member("netfac", "facilitator");
        String admin = TestData.member("admin", "admin");
        String suspended = TestData.member("suspended");
        String cohort = TestData.cohort(pool, facilitator, member, suspended);
        String network = TestData.networkChannel(pool);
        String w = word();
        long networkThread = TestData.thread(member, network, "Network talk about " + w, "Open to every member.");
        long cohortThread = TestData.thread(member, cohort, "Cohort talk", "Only the cohort reads about " + w + " here.");
        as("ada").body(Map.of("reason", "Search test")).put("/api/members/" + memberId(suspended) + "/suspension")
                .then().statusCode(204);

        assertThat(threads(outsider, w)).containsExactly(networkThread);
        assertThat(threads(networkFacilitator, w)).containsExactly(networkThread);
        assertThat(threads(member, w)).containsExactlyInAnyOrder(networkThread, cohortThread);
        assertThat(threads(facilitator, w)).containsExactlyInAnyOrder(networkThread, cohortThread);
        assertThat(threads(admin, w)).containsExactlyInAnyOrder(networkThread, cohortThread);
        assertThat(threads(suspended, w)).containsExactlyInAnyOrder(networkThread, cohortThread);
        // The cohort filter answers an outsider as a cohort that does not exist.
        assertThat(threads(outsider, w + " cohort:" + cohort)).isEmpty();
        assertThat(threads(member, w + " cohort:" + cohort)).containsExactly(cohortThread);

        // An archived cohort channel is read by nobody.
        sql("update channel set archived_at = now() where slug = $1", cohort);
        assertThat(threads(member, w)).containsExactly(networkThread);
        assertThat(threads(admin, w)).containsExactly(networkThread);
    }

    @Test
    void shouldNeverFindHiddenDeletedOrHeldPostsOrRemovedThreadsNorShowTheirText() {
        String writer = TestData.member("writer");
        String other = TestData.member("other");
        String network = TestData.networkChannel(pool);
        String shared = word();
        String hiddenWord = word();
        String deletedWord = word();
        String heldWord = word();
        String removedThreadWord = word();
        long thread = TestData.thread(writer, network, "A thread with removed replies", "The opening post says " + shared + ".");
        long hidden = TestData.reply(other, thread, null, shared + " and then " + hiddenWord + " which was hidden.");
        long deleted = TestData.reply(other, thread, null, shared + " and then " + deletedWord + " which was deleted.");
        as("fran").body(Map.of("reason", "Off-topic")).put("/api/posts/" + hidden + "/hidden").then().statusCode(204);
        as(other).delete("/api/posts/" + deleted).then().statusCode(204);
        long removedThread = TestData.thread(writer, network, "Removed " + removedThreadWord, "Body of " + removedThreadWord);
        as("fran").body(Map.of("reason", "Off-topic")).put("/api/threads/" + removedThread + "/hidden").then().statusCode(204);

        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long anonymousThread = as(writer).body(Map.of("title", "Something hard", "body", "Said without a name."))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        as("fran").put("/api/channels/" + undiscussables + "/approval").then().statusCode(204);
        as(other).body(Map.of("body", "Held: " + heldWord)).post("/api/threads/" + anonymousThread + "/posts")
                .then().statusCode(201);
        assertThat(pool.preparedQuery("select count(*) from post where thread_id = $1 and held").execute(Tuple.of(anonymousThread))
                .await().indefinitely().iterator().next().getLong(0)).isEqualTo(1);

        for (String reader : List.of(writer, other, "fran", "ada")) {
            for (String gone : List.of(hiddenWord, deletedWord, heldWord, removedThreadWord)) {
                assertThat(threads(reader, gone)).as(reader + " searching a removed word").isEmpty();
            }
            JsonPath found = search(reader, shared);
            assertThat(found.getList("results.threadId", Long.class)).containsExactly(thread);
            assertThat(found.getLong("results[0].postId")).isEqualTo(TestData.openingPost(writer, thread));
            assertThat(found.getString("results[0].snippet")).contains(shared).doesNotContain(hiddenWord)
                    .doesNotContain(deletedWord);
        }

        // Shown again, the hidden reply is found again.
        as("fran").delete("/api/posts/" + hidden + "/hidden").then().statusCode(204);
        assertThat(search(other, hiddenWord).getLong("results[0].postId")).isEqualTo(hidden);
    }

    // ---------------------------------------------------------------- filters

    @Test
    void shouldApplyEveryFilterTypedInTheQuery() {
        String m = TestData.member("filters");
        String o = TestData.member("others");
        String channelA = TestData.networkChannel(pool);
        String channelB = TestData.networkChannel(pool);
        String cohort = TestData.cohort(pool, o, m);
        String w = word();
        String tag = "tag-" + word();
        long t1 = TestData.threadWithTags(m, channelA, "First " + w, "Opening of the first.", tag);
        long t2 = TestData.thread(o, channelB, "Second thread", "About " + w + ", solved.");
        long answer = TestData.reply(m, t2, null, "An answer.");
        as(o).body(Map.of("postId", answer)).put("/api/threads/" + t2 + "/answer").then().statusCode(200);
        long t3 = TestData.thread(o, cohort, "Third thread", "In the cohort: " + w);
        as("ada").put("/api/threads/" + t3 + "/lock").then().statusCode(204);
        long t4 = TestData.thread(o, channelA, "Fourth thread", "Nothing to see.");
        TestData.reply(m, t4, null, "The reply says " + w);
        as(m).body(Map.of("level", "watching")).put("/api/threads/" + t2 + "/follow").then().statusCode(200);
        // Dates fixed for the test: t1 in January 2020, everything else in March 2020.
        sql("update post set created_at = '2020-03-10T12:00:00Z' where thread_id = any($1)", (Object) new Long[] { t2, t3, t4 });
        sql("update post set created_at = '2020-01-10T12:00:00Z' where thread_id = $1", t1);

        assertThat(threads(m, w)).containsExactlyInAnyOrder(t1, t2, t3, t4);
        assertThat(threads(m, w + " #" + tag)).containsExactly(t1);
        assertThat(threads(m, "#" + tag)).containsExactly(t1);
        assertThat(threads(m, w + " in:" + channelA)).containsExactlyInAnyOrder(t1, t4);
        assertThat(threads(m, w + " cohort:" + cohort)).containsExactly(t3);
        assertThat(threads(m, w + " in:" + cohort)).containsExactly(t3);
        // Writing under one's name tracks the thread (t1, t4); t2 is watched.
        assertThat(threads(m, w + " in:following")).containsExactlyInAnyOrder(t1, t2, t4);
        assertThat(threads(m, w + " @" + m)).containsExactlyInAnyOrder(t1, t4);
        assertThat(threads(o, "@" + m + " in:" + channelA)).containsExactlyInAnyOrder(t1, t4);
        assertThat(threads(m, w + " status:solved")).containsExactly(t2);
        assertThat(threads(m, w + " status:locked")).containsExactly(t3);
        assertThat(threads(m, w + " status:open")).containsExactlyInAnyOrder(t1, t2, t4);
        assertThat(threads(m, w + " status:unanswered")).containsExactlyInAnyOrder(t1, t3);
        assertThat(threads(m, w + " before:2020-02-01")).containsExactly(t1);
        assertThat(threads(m, w + " after:2020-02-01")).containsExactlyInAnyOrder(t2, t3, t4);
        assertThat(threads(m, w + " after:2020-01-10 before:2020-01-11")).containsExactly(t1);
        assertThat(threads(m, w + " order:latest").get(3)).isEqualTo(t1);
        assertThat(search(m, w + " order:latest").getString("order")).isEqualTo("latest");
        assertThat(search(m, w).getString("order")).isEqualTo("relevance");
        // Unknown filters and values a filter does not take are explained, and nothing is searched.
        for (String q : List.of(w + " author:" + m, w + " status:maybe", w + " before:2020-02-30", w + " order:random",
                w + " in:No_Such!", w + " whatever:x")) {
            JsonPath refused = search(m, q);
            assertThat(refused.getList("results")).as(q).isEmpty();
            assertThat(refused.getList("notices", String.class)).as(q).hasSize(1);
        }
        assertThat(search(m, w + " author:" + m).getString("notices[0]")).contains("@username");
        // In quotes a filter is words.
        assertThat(search(m, "\"" + w + " whatever:x\"").getList("notices")).isEmpty();
    }

    @Test
    void shouldRankTitlesAboveBodiesFoldAccentsAndHighlightTheMatch() {
        String m = TestData.member("ranker");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long inBody = TestData.thread(m, channel, "A thread", "Somewhere in the body: " + w + ".");
        long inTitle = TestData.thread(m, channel, "About <b>" + w + "</b> & more", "A body without it.");
        sql("update post set created_at = '2025-05-05T10:00:00Z' where thread_id = any($1)",
                (Object) new Long[] { inBody, inTitle });
        assertThat(threads(m, w)).containsExactly(inTitle, inBody);
        // The title as typed, its match marked, its markup text.
        assertThat(search(m, w).getString("results[0].titleHtml"))
                .isEqualTo("About &lt;b&gt;<mark>" + w + "</mark>&lt;/b&gt; &amp; more");
        // Recency: the body match a year newer, order:latest puts it first; relevance still prefers the title.
        sql("update post set created_at = '2026-05-05T10:00:00Z' where thread_id = $1", inBody);
        assertThat(threads(m, w + " order:latest")).containsExactly(inBody, inTitle);

        String accented = "é" + w.substring(2);
        long cafe = TestData.thread(m, channel, "Le café", "Au café nous parlons de " + accented + " & <b>x</b> @someone.");
        JsonPath found = search(m, "e" + w.substring(2));
        assertThat(found.getList("results.threadId", Long.class)).containsExactly(cafe);
        assertThat(found.getString("results[0].snippetHtml")).contains("<mark>" + accented + "</mark>")
                .contains("&amp;").doesNotContain("<b>");
        // Markup typed in the body is text (the renderer escaped it), and the snippet shows it as such.
        assertThat(found.getString("results[0].snippet")).contains(accented + " & <b>x</b> @someone");
        // A phrase, or, and -word (websearch_to_tsquery)
        assertThat(threads(m, "\"de " + accented + "\"")).containsExactly(cafe);
        assertThat(threads(m, accented + " -café")).isEmpty();
        assertThat(threads(m, accented + " or " + w)).hasSize(3);
    }

    @Test
    void shouldFindAnEditedPostByItsNewWordsOnly() {
        String m = TestData.member("editor");
        String channel = TestData.networkChannel(pool);
        String before = word();
        String after = word();
        long thread = TestData.thread(m, channel, "An edited thread", "First said " + before);
        long post = TestData.openingPost(m, thread);
        as(m).body(Map.of("body", "Then said " + after, "version", 1)).patch("/api/posts/" + post).then().statusCode(200);
        assertThat(threads(m, before)).isEmpty();
        assertThat(threads(m, after)).containsExactly(thread);
    }

    @Test
    void shouldPageThroughResultsWithACursorWithoutRepeatsOrGaps() {
        String m = TestData.member("pager");
        String channel = TestData.networkChannel(pool);
        String w = word();
        Set<Long> made = new HashSet<>();
        for (int i = 0; i < SearchService.PAGE_SIZE + 3; i++) {
            made.add(TestData.thread(m, channel, "Thread " + i, "Number " + i + " about " + w));
        }
        JsonPath first = search(m, w);
        List<Long> page1 = first.getList("results.threadId", Long.class);
        assertThat(page1).hasSize(SearchService.PAGE_SIZE);
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotNull();
        JsonPath second = as(m).queryParam("q", w).queryParam("cursor", cursor).get("/api/search").then().statusCode(200)
                .extract().jsonPath();
        List<Long> page2 = second.getList("results.threadId", Long.class);
        assertThat(page2).hasSize(3);
        assertThat(second.getString("nextCursor")).isNull();
        List<Long> all = new ArrayList<>(page1);
        all.addAll(page2);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(made);
        as(m).queryParam("q", w).queryParam("cursor", "not-a-cursor").get("/api/search").then().statusCode(400);
    }

    // ---------------------------------------------------------------- hostile queries

    @Test
    void shouldSearchOperatorsAndMetacharactersAsTextOrRefuseThemClearly() {
        String m = TestData.member("hostile");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long thread = TestData.thread(m, channel, "Punctuation", "C++ & Java: (basics) of " + w + "'s code!");
        for (String q : List.of(w + "!", "!" + w, "(" + w + ")", w + " &", "'" + w + "'", w + ":", w + " :*", w + " <->",
                "&" + w + "|", w + "\\", "\"" + w, w + "'s", "''" + w + "''")) {
            assertThat(threads(m, q)).as(q).containsExactly(thread);
        }
        List<String> hostile = new ArrayList<>(List.of("!", "&", ":", "(", "'", ")", "|", "<->", "\\", ":*", "!!&&||", "''",
                "\"", "\"\"", "-", "--", "or", "not", "'; drop table post; --", "%", "_", "<script>alert(1)</script>",
                "\u202e" + w, "🙂", "in:", "in:../../etc", "status:", "before:2026-02-30", "after:99999-01-01", "@", "#",
                "@'", "cohort:Ünï", "a:b:c", "x\ty", "the and of", "a".repeat(500),
                "é".repeat(500)));
        for (String q : hostile) {
            Response api = as(m).queryParam("q", q).get("/api/search");
            assertThat(api.statusCode()).as("API: " + q).isEqualTo(200);
            Response page = searchPage(m, q);
            assertThat(page.statusCode()).as("page: " + q).isEqualTo(200);
        }
        // Too long: refused with the reason, on the page with the query kept.
        String tooLong = "a".repeat(SearchQuery.MAX_LENGTH + 1);
        as(m).queryParam("q", tooLong).get("/api/search").then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(as(m).queryParam("q", tooLong).get("/api/search").jsonPath().getString("detail")).contains("500 characters");
        Response refused = searchPage(m, tooLong);
        assertThat(refused.statusCode()).isEqualTo(400);
        Document page = org.jsoup.Jsoup.parse(refused.asString());
        assertThat(page.select("#search-refusal").text()).contains("500 characters");
        assertThat(page.select("#search-q").attr("value")).isEqualTo(tooLong);
        assertThat(page.select("#search-q").attr("aria-invalid")).isEqualTo("true");
    }

    // ---------------------------------------------------------------- bounded cost

    /**
     * A search that does not finish within its statement timeout is refused (422 problem+json; the page again with the
     * query kept), not a 500, and the next search works. Deterministic without timing: while this test holds an
     * exclusive lock on the cohort table, no search can finish, so the configured timeout (5 s in tests) always fires. (Without the
     * timeout the search waits for the lock: the client's read timeout fails the test, checked; and the lock's session
     * ends after 60 s idle, so it never hangs.)
     */
    @Test
    void shouldRefuseASearchThatDoesNotFinishInTimeWithAdviceAndTheQueryKept() {
        String m = TestData.member("patient");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long thread = TestData.thread(m, channel, "Waiting", "About " + w);
        assertThat(threads(m, w)).containsExactly(thread);
        assertThat(searchPage(m, w).statusCode()).isEqualTo(200);
        SqlConnection lock = lockCohorts();
        try {

            Response api = as(m).queryParam("q", w).get("/api/search");
            assertThat(api.statusCode()).isEqualTo(422);
            assertThat(api.contentType()).startsWith("application/problem+json");
            assertThat(api.jsonPath().getString("detail")).isEqualTo(SearchService.TOO_BROAD);

            Response refused = searchPage(m, w + " in:" + channel);
            assertThat(refused.statusCode()).isEqualTo(422);
            Document page = org.jsoup.Jsoup.parse(refused.asString());
            assertThat(page.select("#search-refusal").text()).isEqualTo(SearchService.TOO_BROAD);
            assertThat(page.select("#search-q").attr("value")).isEqualTo(w + " in:" + channel);
            assertThat(page.select(".search-result")).isEmpty();
        } finally {
            release(lock);
        }
        assertThat(threads(m, w)).containsExactly(thread);
    }

    /**
     * A word in more posts than one search considers (roundtable.search.candidates: 30 in tests) is searched in its newest
     * 30 posts only: an older thread that would rank first (the word in its title) is not found by the word alone, the
     * page and the API say that only the newest were searched, a filter reaches the older thread, and order:latest still
     * starts with the newest match. The author of anonymous posts among the matches gets everyone's results.
     */
    @Test
    void shouldSearchAWordInVeryManyPostsInItsNewestPostsOnlyAndSaySo() {
        String alice = TestData.member("alice");
        String bob = TestData.member("bob");
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        String older = TestData.networkChannel(pool);
        String busy = TestData.networkChannel(pool);
        String w = word();
        // The oldest match, and the best by relevance: the word in its title.
        long oldest = TestData.thread(bob, older, "All about " + w, "The first post about " + w);
        assertThat(threads(bob, w)).containsExactly(oldest);
        // Four anonymous matches by alice, then 31 named ones in one busy thread: the newest 30 matches are all there.
        long anonymous = as(alice).body(Map.of("title", "Unnamed", "body", "Alice without her name: " + w))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        for (int i = 0; i < 3; i++) {
            as(alice).body(Map.of("body", "Her reply " + i + " on " + w)).post("/api/threads/" + anonymous + "/posts")
                    .then().statusCode(201);
        }
        long busyThread = TestData.thread(bob, busy, "A busy thread", "Opening on " + w);
        long newest = 0;
        for (int i = 0; i < 30; i++) {
            newest = TestData.reply(bob, busyThread, null, "Reply " + i + " on " + w);
        }

        JsonPath found = search(bob, w);
        assertThat(found.getList("results.threadId", Long.class)).containsExactly(busyThread);
        assertThat(found.getInt("newestOf")).isEqualTo(30);
        Document page = page(bob, w);
        assertThat(page.select("li.search-result")).hasSize(1);
        assertThat(page.select("#search-newest").text()).contains("only the newest 30").contains("before:");
        // A filter narrows the matches: the older thread is found, and everything was searched.
        JsonPath filtered = search(bob, w + " in:" + older);
        assertThat(filtered.getList("results.threadId", Long.class)).containsExactly(oldest);
        assertThat(filtered.getString("newestOf")).isNull();
        assertThat(page(bob, w + " in:" + older).select("#search-newest")).isEmpty();
        assertThat(threads(bob, w + " in:" + undiscussables)).containsExactly(anonymous);
        // Newest first: the busy thread, linked to its newest reply.
        JsonPath latest = search(bob, w + " order:latest");
        assertThat(latest.getList("results.threadId", Long.class)).containsExactly(busyThread);
        assertThat(latest.getLong("results[0].postId")).isEqualTo(newest);
        // Her own searches are anyone's, bound included.
        for (String q : List.of(w, w + " order:latest", w + " in:" + undiscussables, w + " @" + alice)) {
            assertThat(search(alice, q).prettify()).as(q).isEqualTo(search(bob, q).prettify());
        }
    }

    /**
     * A member who already has two searches running (roundtable.search.concurrent-per-member) is refused a third at once:
     * 429 with Retry-After (the search timeout, 5 s in tests), from the API as problem+json and on the page with the
     * query kept; when they end, the member searches again. Deterministic without timing: while this test holds an
     * exclusive lock on the cohort table, the two searches wait for it (they are seen waiting in pg_stat_activity
     * before the third is sent).
     */
    @Test
    void shouldRefuseAThirdSearchWhileTheMemberHasTwoRunningWithRetryAfterAndTheQueryKept() throws Exception {
        String m = TestData.member("eager");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long thread = TestData.thread(m, channel, "Eager", "About " + w);
        assertThat(threads(m, w)).containsExactly(thread);
        assertThat(searchPage(m, w).statusCode()).isEqualTo(200); // logged in: the page's session is ready
        String token = Keycloak.token(m);
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newFixedThreadPool(2);
        SqlConnection lock = lockCohorts();
        try {
            List<java.util.concurrent.Future<Integer>> running = twoSearchesWaitingForTheLock(background, token, w);

            Response api = as(m).queryParam("q", w).get("/api/search");
            assertThat(api.statusCode()).isEqualTo(429);
            assertThat(api.contentType()).startsWith("application/problem+json");
            assertThat(api.header("Retry-After")).isEqualTo("5");
            assertThat(api.jsonPath().getString("detail")).contains("2 searches running");
            Response refused = searchPage(m, w + " in:" + channel);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            Document page = org.jsoup.Jsoup.parse(refused.asString());
            assertThat(page.select("#search-refusal").text()).contains("2 searches running");
            assertThat(page.select("#search-q").attr("value")).isEqualTo(w + " in:" + channel);
            assertThat(page.select(".search-result")).isEmpty();

            lock.query("rollback").execute().await().indefinitely();
            for (java.util.concurrent.Future<Integer> search : running) {
                // Found once the lock is gone (or refused as too slow had the wait outlasted the timeout): not 429.
                assertThat(search.get(60, java.util.concurrent.TimeUnit.SECONDS)).isIn(200, 422);
            }
        } finally {
            release(lock);
            background.shutdownNow();
        }
        assertThat(threads(m, w)).containsExactly(thread);
    }

    /**
     * Searches take turns in PostgreSQL (SearchGate; in tests 2 at once and 1 in line): while two searches run, the next
     * one waits for its turn and is then answered, and one more, with the line full, is refused at once: 503 with
     * Retry-After, from the API as problem+json and on the page with the query kept. Deterministic without timing: the
     * two running searches wait for this test's exclusive lock on the cohort table (seen in pg_stat_activity), and the
     * third is seen in line (the gate's count) before the fourth is sent.
     */
    @Test
    void shouldLetASearchWaitItsTurnWhileTheDatabaseIsBusyAndRefuseOneMoreWhenTheLineIsFull() throws Exception {
        String first = TestData.member("first-in-line");
        String second = TestData.member("second-in-line");
        String late = TestData.member("late-in-line");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long thread = TestData.thread(first, channel, "In line", "About " + w);
        assertThat(threads(first, w)).containsExactly(thread);
        assertThat(searchPage(late, w).statusCode()).isEqualTo(200); // logged in: the page's session is ready
        String firstToken = Keycloak.token(first);
        String secondToken = Keycloak.token(second);
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newFixedThreadPool(3);
        SqlConnection lock = lockCohorts();
        try {
            List<java.util.concurrent.Future<Integer>> running = twoSearchesWaitingForTheLock(background, firstToken, w);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            java.util.concurrent.Future<Response> inLine = background.submit(() -> given().auth().oauth2(secondToken)
                    .queryParam("q", w).get("/api/search"));
            while (gate.waiting() < 1) {
                assertThat(System.nanoTime()).as("a third search in line").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(waitingSearches()).as("the one in line has not reached the database").isEqualTo(2);

            Response api = as(second).queryParam("q", w).get("/api/search");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.contentType()).startsWith("application/problem+json");
            assertThat(api.header("Retry-After")).isEqualTo("5");
            assertThat(api.jsonPath().getString("detail")).isEqualTo(SearchService.BUSY);
            Response refused = searchPage(late, w + " in:" + channel);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            Document page = org.jsoup.Jsoup.parse(refused.asString());
            assertThat(page.select("#search-refusal").text()).isEqualTo(SearchService.BUSY);
            assertThat(page.select("#search-q").attr("value")).isEqualTo(w + " in:" + channel);
            assertThat(page.select(".search-result")).isEmpty();

            lock.query("rollback").execute().await().indefinitely();
            for (java.util.concurrent.Future<Integer> search : running) {
                // Found once the lock is gone (or refused as too slow had the wait outlasted the timeout).
                assertThat(search.get(60, java.util.concurrent.TimeUnit.SECONDS)).isIn(200, 422);
            }
            // The one that waited in line ran after them, on its own time: found.
            Response waited = inLine.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(waited.statusCode()).isEqualTo(200);
            assertThat(waited.jsonPath().getList("results.threadId", Long.class)).containsExactly(thread);
        } finally {
            release(lock);
            background.shutdownNow();
        }
        assertThat(gate.running()).isZero();
        assertThat(gate.waiting()).isZero();
        assertThat(threads(late, w)).containsExactly(thread);
    }

    /**
     * A search whose member gave up while it waited in line (the connection closed) runs no statement when its turn
     * comes: it leaves the count of those waiting at once, and is counted as abandoned when the line reaches it.
     * Deterministic without timing: the two searches ahead wait for this test's lock on the cohort table, and each
     * step waits for the gate's counts to say it happened.
     */
    @Test
    void shouldRunNoStatementForASearchWhoseRequestWasGoneWhenItsTurnCame() throws Exception {
        String first = TestData.member("ahead-in-line");
        String quitter = TestData.member("gave-up-in-line");
        String channel = TestData.networkChannel(pool);
        String w = word();
        long thread = TestData.thread(first, channel, "Given up in line", "About " + w);
        assertThat(threads(first, w)).containsExactly(thread);
        String firstToken = Keycloak.token(first);
        String quitterToken = Keycloak.token(quitter);
        String nextToken = Keycloak.token(TestData.member("next-in-line"));
        long abandonedBefore = gate.abandoned();
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newFixedThreadPool(3);
        SqlConnection lock = lockCohorts();
        try {
            List<java.util.concurrent.Future<Integer>> running = twoSearchesWaitingForTheLock(background, firstToken, w);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
                socket.getOutputStream().write(("GET /api/search?q=" + w + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + quitterToken + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                while (gate.waiting() < 1) {
                    assertThat(System.nanoTime()).as("the third search in line").isLessThan(deadline);
                    Thread.sleep(20);
                }
            } // the member gives up: the connection closes
            while (gate.waiting() > 0) {
                assertThat(System.nanoTime()).as("the search that was given up leaves the count").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(gate.abandoned()).isEqualTo(abandonedBefore);
            // Its place is free: another member's search waits in line (1 place in tests) instead of being refused.
            java.util.concurrent.Future<Integer> next = background.submit(() -> given().auth().oauth2(nextToken)
                    .queryParam("q", w).get("/api/search").statusCode());
            while (gate.waiting() < 1) {
                assertThat(System.nanoTime()).as("the next search in line").isLessThan(deadline);
                Thread.sleep(20);
            }

            lock.query("rollback").execute().await().indefinitely();
            for (java.util.concurrent.Future<Integer> search : running) {
                assertThat(search.get(60, java.util.concurrent.TimeUnit.SECONDS)).isIn(200, 422);
            }
            while (gate.abandoned() == abandonedBefore) {
                assertThat(System.nanoTime()).as("the line reaches the search that was given up").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(gate.abandoned()).isEqualTo(abandonedBefore + 1);
            assertThat(next.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(waitingSearches()).isZero();
        } finally {
            release(lock);
            background.shutdownNow();
        }
        assertThat(gate.running()).isZero();
        assertThat(threads(first, w)).containsExactly(thread);
    }

    /**
     * A connection holding an exclusive lock on the cohort table, in a transaction: every search statement reads that
     * table (the result's cohort) and the rest of a page does not, so searches wait for it while it is held.
     */
    private SqlConnection lockCohorts() {
        SqlConnection lock = pool.getConnection().await().atMost(java.time.Duration.ofSeconds(30));
        try {
            lock.query("begin").execute().await().indefinitely();
            lock.query("set local idle_in_transaction_session_timeout = '60s'").execute().await().indefinitely();
            lock.query("lock table cohort in access exclusive mode").execute().await().indefinitely();
            return lock;
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    /** Ends {@link #lockCohorts}'s transaction (the lock goes) and gives its connection back. */
    private static void release(SqlConnection lock) {
        lock.query("rollback").execute().onFailure().recoverWithNull().await().indefinitely();
        lock.close().await().indefinitely();
    }

    /**
     * Two searches of the token's member for {@code w}, sent in the background while {@link #lockCohorts} holds its
     * lock; returns once PostgreSQL shows both waiting for it (their futures give their statuses).
     */
    private List<java.util.concurrent.Future<Integer>> twoSearchesWaitingForTheLock(
            java.util.concurrent.ExecutorService background, String token, String w) throws InterruptedException {
        List<java.util.concurrent.Future<Integer>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(background.submit(() -> given().auth().oauth2(token).queryParam("q", w).get("/api/search")
                    .statusCode()));
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (waitingSearches() < 2) {
            assertThat(System.nanoTime()).as("two searches waiting for the lock").isLessThan(deadline);
            Thread.sleep(20);
        }
        return running;
    }

    /** The search statements waiting for a lock, as PostgreSQL shows them. */
    private long waitingSearches() {
        return pool.preparedQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and query like '%websearch_to_tsquery%' and backend_type = 'client backend'").execute()
                .await().indefinitely().iterator().next().getLong(0);
    }

    // ---------------------------------------------------------------- anonymity

    @Test
    void shouldFindAnonymousPostsByTheirWordsOnlyUnderTheirPseudonymAndTheSameForTheirAuthor() {
        String alice = TestData.member("alice");
        String bob = TestData.member("bob");
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        String network = TestData.networkChannel(pool);
        String w = word();
        long named = TestData.thread(alice, network, "Named " + w, "Alice under her name.");
        long anonymous = as(alice).body(Map.of("title", "Unnamed " + w, "body", "Alice without her name: " + w))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        // In the undiscussables a reply is anonymous too; bob answers under his name.
        as(alice).body(Map.of("body", "And a reply of hers, " + w + " again"))
                .post("/api/threads/" + anonymous + "/posts").then().statusCode(201);
        TestData.reply(bob, anonymous, null, "Bob under his name.");

        JsonPath asBob = search(bob, w);
        assertThat(asBob.getList("results.threadId", Long.class)).containsExactlyInAnyOrder(named, anonymous);
        Map<String, Object> hit = asBob.getMap("results.find { it.threadId == " + anonymous + "L }");
        @SuppressWarnings("unchecked")
        Map<String, Object> author = (Map<String, Object>) hit.get("author");
        assertThat(author.get("id")).isNull();
        assertThat(author.get("username")).isNull();
        assertThat((String) author.get("pseudonym")).startsWith("Anonymous");
        assertThat(hit.toString()).doesNotContain(alice).doesNotContain("Alice Tester");

        // Her own search is anyone's: same results, same order, same snippets, same count.
        for (String q : List.of(w, w + " order:latest", "\"without her name\" " + w, w + " in:" + undiscussables)) {
            assertThat(search(alice, q).getList("results")).as(q).isEqualTo(search(bob, q).getList("results"));
        }
        // No author filter finds an anonymous post, not even for its author.
        for (String reader : List.of(alice, bob, "ada")) {
            assertThat(threads(reader, w + " @" + alice)).as(reader).containsExactly(named);
            assertThat(search(reader, "@" + alice).getList("results.postId", Long.class)).as(reader)
                    .containsExactly(TestData.openingPost(alice, named));
            assertThat(threads(reader, w + " author:" + alice)).as(reader).isEmpty();
            assertThat(threads(reader, w + " in:" + undiscussables + " @" + alice)).as(reader).isEmpty();
        }
        // And the page she sees lists exactly what his lists.
        Element hers = page(alice, w).selectFirst("ol.search-results");
        Element his = page(bob, w).selectFirst("ol.search-results");
        assertThat(hers).isNotNull();
        // The relative times ("28 minutes ago") are rendered at each request's moment and may cross a minute between
        // the two pages; the times themselves (datetime and title) are compared.
        hers.select("time").forEach(time -> time.text(""));
        his.select("time").forEach(time -> time.text(""));
        assertThat(hers.outerHtml()).isEqualTo(his.outerHtml());
    }

    // ---------------------------------------------------------------- pages

    @Test
    void shouldShowResultsGroupedByThreadWithSnippetLinkChannelCohortAndDate() {
        String m = TestData.member("pages");
        String o = TestData.member("pagesother");
        String cohort = TestData.cohort(pool, o, m);
        String w = word();
        long thread = TestData.thread(o, cohort, "Lunch duty " + w, "Who covers lunch duty on Tuesdays?");
        long reply = TestData.reply(m, thread, null, "I can cover " + w + " on Tuesdays.");

        Document page = page(m, w);
        assertThat(page.select("form[role=search][action=/search] input[name=q]")).hasSize(2);
        assertThat(page.select("label[for=site-search]")).hasSize(1);
        Elements results = page.select("ol.search-results > li.search-result");
        assertThat(results).hasSize(1);
        Element result = results.first();
        assertThat(result.attr("data-thread-id")).isEqualTo(String.valueOf(thread));
        String link = result.select("h2 a").attr("href");
        assertThat(link).isIn("/posts/" + reply, "/posts/" + TestData.openingPost(o, thread));
        // The matched words are marked, in the title (the opening post matched by it) or the snippet (the reply).
        assertThat(result.select("h2 a mark, .snippet mark").text()).contains(w);
        assertThat(result.select("a.channel").attr("href")).isEqualTo("/channels/" + cohort);
        assertThat(result.select("a.cohort").attr("href")).isEqualTo("/cohorts/" + cohort);
        assertThat(result.select("time[datetime]")).hasSize(1);
        assertThat(Pages.get(m, link).statusCode()).isEqualTo(303);

        // Nothing found: the tips on the filters.
        Document empty = page(m, word());
        assertThat(empty.select(".search-empty h2").text()).startsWith("Nothing found");
        assertThat(empty.select(".search-tips dt").text()).contains("#budget").contains("in:following").contains("@username")
                .contains("status:solved").contains("before:2026-10-01").contains("order:latest");
        // An unknown filter: explained, nothing searched.
        Document unknown = page(m, w + " author:" + m);
        assertThat(unknown.select(".search-notices[role=alert] li").text()).contains("\"author:\" is not a filter");
        assertThat(unknown.select("ol.search-results")).isEmpty();
        assertThat(unknown.select("#search-q").attr("value")).isEqualTo(w + " author:" + m);
        // The box in the header of other pages.
        for (String path : List.of("/", "/channels", "/members", "/notifications")) {
            assertThat(Pages.page(m, path).select("header form.nav-search[action=/search] input#site-search[name=q]"))
                    .as(path).hasSize(1);
        }
    }

    @Test
    void shouldFindMembersByTheirJobTitleInTheDirectory() {
        String username = TestData.memberRow(pool, "principal");
        String w = word();
        sql("update member set title = $1 where username = $2", "Principal of " + w + " school", username);
        assertThat(as("bob").queryParam("q", w).get("/api/members").then().statusCode(200).extract().jsonPath()
                .getList("username", String.class)).containsExactly(username);
        assertThat(as("bob").queryParam("q", "principal of " + w).get("/api/members").then().statusCode(200).extract()
                .jsonPath().getList("username", String.class)).containsExactly(username);
    }

    // ---------------------------------------------------------------- statements

    @Test
    void shouldRunTwoStatementsPerSearchWhateverTheQueryAndNoneForNothingToSearch() {
        String m = TestData.member("counter");
        String channel = TestData.networkChannel(pool);
        String w = word();
        for (int i = 0; i < 5; i++) {
            long t = TestData.threadWithTags(m, channel, "Counted " + i, "About " + w + " number " + i, "counted");
            TestData.reply(m, t, null, "More " + w);
        }
        for (String q : List.of(w, "the " + w, w + " #counted in:" + channel + " status:open order:latest",
                "@" + m, w + " in:following after:2020-01-01 before:2099-01-01", "#counted")) {
            assertThat(statementsFor(m, q)).as(q).isEqualTo(2); // its settings (timeout, plan), then the search
        }
        assertThat(statementsFor(m, "")).isZero();
        assertThat(statementsFor(m, w + " author:x")).isZero();
    }

    private long statementsFor(String username, String q) {
        as(username).get("/api/me").then().statusCode(200); // identity cached
        long before = database.statementCount();
        as(username).queryParam("q", q).get("/api/search").then().statusCode(200);
        return database.statementCount() - before;
    }

}
