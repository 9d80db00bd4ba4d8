package org.roundtable.moderation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Issue 19, the facilitators' controls in the pages: the review queue in the menu of everyone who facilitates anything,
 * with its count, and a done message after a decision; the move dialog in plain words, offering only the channels a
 * thread may go to, with a reason its author is told; the "hold anonymous posts for approval" switch on the channel
 * page; the author of a whole thread hidden or deleted told why; the thread removal form shown again on every refusal a
 * facilitator can act on.
 */
@QuarkusTest
class FacilitatorControlsTest {

    @Inject
    Pool pool;

    @Test
    void shouldOfferACohortFacilitatorTheReviewQueueWithItsCountAndSayWhatADecisionDid() {
        String facilitator = TestData.member("rqfac");
        String author = TestData.member("rqauthor");
        String flagger = TestData.member("rqflagger");
        String cohort = TestData.cohort(pool, facilitator, author, flagger);
        long thread = TestData.thread(author, cohort, "Timetabling the spring term", "How do you do it?");
        long reply = TestData.reply(author, thread, null, "Ours is done by a consultant we cannot name here.");
        as(flagger).body(Map.of("reason", "inappropriate")).post("/api/posts/" + reply + "/flags").then().statusCode(201);

        // A cohort facilitator (no realm role) has the link, with the one item of their cohort counted.
        Element link = Pages.page(facilitator, "/channels").selectFirst("nav.site-nav a.nav-review[href=/review]");
        assertThat(link).as("the review link of a cohort facilitator").isNotNull();
        assertThat(link.selectFirst(".badge").text()).isEqualTo("1");
        assertThat(Pages.page(facilitator, "/channels").select("nav.site-nav a[href=/audit]")).hasSize(1);
        // A member who facilitates nothing has neither; a network facilitator has the link.
        assertThat(Pages.page(flagger, "/channels").select("nav.site-nav a[href=/review], nav.site-nav a[href=/audit]"))
                .isEmpty();
        assertThat(Pages.page("fran", "/channels").select("nav.site-nav a.nav-review[href=/review]")).hasSize(1);

        Document review = Pages.page(facilitator, "/review");
        Response decided = Pages.submit(facilitator, review, "li.queue-item[data-post-id=" + reply + "] form.decision",
                Map.of("action", "hide", "reason", "Names a consultant"));
        assertThat(decided.statusCode()).isEqualTo(303);
        String location = decided.header("Location");
        Document after = Pages.page(facilitator, location.substring(location.indexOf("/review")));
        assertThat(after.selectFirst(".review-done[role=status]").text()).startsWith("Hidden:").contains("Its author is told why");
        assertThat(after.selectFirst(".empty-queue").text()).contains("nothing else waits for a decision");
        assertThat(after.select("li.queue-item")).isEmpty();
        // Nothing waits any more: the link stays, without a count.
        Element linkAfter = after.selectFirst("nav.site-nav a.nav-review");
        assertThat(linkAfter).isNotNull();
        assertThat(linkAfter.select(".badge")).isEmpty();
        // Opened again later, the queue says it is clear, and says nothing of a decision.
        Document later = Pages.page(facilitator, "/review");
        assertThat(later.select(".review-done")).isEmpty();
        assertThat(later.selectFirst(".empty-queue").text()).startsWith("All clear");
    }

    @Test
    void shouldOfferOnlyTheChannelsAThreadMayMoveIntoInPlainWordsAndTellItsAuthorWhy() {
        String facilitator = TestData.member("mvfac");
        String author = TestData.member("mvauthor");
        String from = TestData.cohort(pool, facilitator, author);
        String to = TestData.cohort(pool, facilitator, author);
        // Refused targets: a channel the facilitator only reads, a network channel (no realm role), an undiscussables
        // channel they facilitate (a named thread never goes there).
        String onlyMember = TestData.cohort(pool, author, facilitator);
        String network = TestData.networkChannel(pool);
        String undiscussables = TestData.cohortUndiscussables(pool, facilitator, author);
        TestData.addToCohort(pool, undiscussables, "facilitator", facilitator);
        long thread = TestData.thread(author, from, "Staff wellbeing days", "Does anyone run them?");

        Document dialog = Pages.page(facilitator, "/threads/" + thread + "/move");
        assertThat(dialog.select("select[name=channel] option").eachAttr("value")).containsExactly(to);
        assertThat(dialog.select("select[name=channel] option").attr("data-widens")).isEqualTo("true");
        assertThat(dialog.selectFirst("main").text()).doesNotContain("confirmWiderAudience", "slug")
                .contains("Its author is told");
        assertThat(dialog.select("form.move-thread input[name=reason]")).hasSize(1);

        // Forged targets are still refused, the dialog shown again with the reason kept and why.
        for (Map.Entry<String, Integer> forged : Map.of(onlyMember, 403, undiscussables, 409, "no-such-channel", 400)
                .entrySet()) {
            Response refused = Pages.submit(facilitator, dialog, "form.move-thread",
                    Map.of("channel", forged.getKey(), "reason", "Better with the other group", "confirm", "true"));
            assertThat(refused.statusCode()).as("moving into " + forged.getKey()).isEqualTo(forged.getValue());
            Document again = Jsoup.parse(refused.asString());
            assertThat(again.selectFirst("form.move-thread input[name=reason]").attr("value"))
                    .isEqualTo("Better with the other group");
            assertThat(again.select(".form-errors, .field-error").text()).isNotBlank();
        }
        assertThat(Pages.submit(facilitator, dialog, "form.move-thread", Map.of("channel", network, "reason", "x",
                "confirm", "true")).statusCode()).isEqualTo(403);

        // A wider audience asks first, in plain words.
        Response unconfirmed = Pages.submit(facilitator, dialog, "form.move-thread",
                Map.of("channel", to, "reason", "Better with the other group"));
        assertThat(unconfirmed.statusCode()).isEqualTo(409);
        Document ask = Jsoup.parse(unconfirmed.asString());
        assertThat(ask.select(".form-errors").text()).contains("Confirm the move").doesNotContain("confirmWiderAudience");
        assertThat(ask.select("form.move-thread input[type=checkbox][name=confirm]")).hasSize(1);
        assertThat(ask.select("select[name=channel] option[selected]").attr("value")).isEqualTo(to);

        Response moved = Pages.submit(facilitator, ask, "form.move-thread",
                Map.of("reason", "Better with the other group", "confirm", "true"));
        assertThat(moved.statusCode()).isEqualTo(303);

        Element told = Pages.page(author, "/notifications").selectFirst("li[data-kind=moderation][data-target=/threads/" + thread + "]");
        assertThat(told).as("the author's notification of the move").isNotNull();
        assertThat(told.selectFirst(".what a").text()).startsWith("A facilitator moved your thread")
                .contains("Staff wellbeing days");
        assertThat(told.selectFirst(".reason q").text()).isEqualTo("Better with the other group");
    }

    /**
     * The move dialog is a read: it neither takes the thread's row lock nor waits for it. Deterministic without timing:
     * while this test holds the thread's row locked (as a facilitator's act on it does for its transaction), the
     * dialog is asked for; it either answers (a read) or is seen waiting for the lock in pg_stat_activity (the locking
     * read the acts use), and the test fails on the second.
     */
    @Test
    void shouldShowTheMoveDialogWithoutWaitingForTheThreadsRowLock() throws Exception {
        String facilitator = TestData.member("mvlockfac");
        String author = TestData.member("mvlockauthor");
        String from = TestData.cohort(pool, facilitator, author);
        String to = TestData.cohort(pool, facilitator, author);
        long thread = TestData.thread(author, from, "Rota for the spring term", "Who takes Tuesdays?");
        assertThat(Pages.get(facilitator, "/threads/" + thread + "/move").statusCode()).isEqualTo(200); // session ready

        io.vertx.mutiny.sqlclient.SqlConnection lock = pool.getConnection().await().atMost(java.time.Duration.ofSeconds(30));
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            lock.query("begin").execute().await().indefinitely();
            lock.query("set local idle_in_transaction_session_timeout = '60s'").execute().await().indefinitely();
            lock.preparedQuery("select 1 from thread where id = $1 for update").execute(Tuple.of(thread))
                    .await().indefinitely();
            java.util.concurrent.Future<Response> dialog = background
                    .submit(() -> Pages.get(facilitator, "/threads/" + thread + "/move"));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!dialog.isDone()) {
                assertThat(waitingForALock()).as("the move dialog waiting for the thread's row lock").isZero();
                assertThat(System.nanoTime()).as("the move dialog answered").isLessThan(deadline);
                Thread.sleep(20);
            }
            Response shown = dialog.get();
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(Jsoup.parse(shown.asString()).select("select[name=channel] option").eachAttr("value"))
                    .containsExactly(to);
        } finally {
            lock.query("rollback").execute().onFailure().recoverWithNull().await().indefinitely();
            lock.close().await().indefinitely();
            background.shutdownNow();
        }
    }

    /** The app's statements waiting for a lock, as PostgreSQL shows them. */
    private long waitingForALock() {
        return pool.preparedQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                + " and backend_type = 'client backend' and pid <> pg_backend_pid()").execute()
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void shouldLetTheFacilitatorsOfAnUndiscussablesChannelHoldItsAnonymousPostsFromItsPage() {
        String facilitator = TestData.member("apfac");
        String member = TestData.member("apmember");
        String channel = TestData.cohortUndiscussables(pool, facilitator, member);
        TestData.addToCohort(pool, channel, "facilitator", facilitator);

        Document page = Pages.page(facilitator, "/channels/" + channel);
        Element form = page.selectFirst("form.approval-switch");
        assertThat(form).as("the approval switch of a facilitator").isNotNull();
        assertThat(form.selectFirst("button").text()).isEqualTo("Hold anonymous posts for approval");
        assertThat(Pages.page(member, "/channels/" + channel).select("form.approval-switch")).isEmpty();
        // Only the undiscussables have it.
        String cohort = TestData.cohort(pool, facilitator, member);
        assertThat(Pages.page(facilitator, "/channels/" + cohort).select("form.approval-switch")).isEmpty();

        var switched = Pages.submit(facilitator, page, "form.approval-switch", Map.of());
        assertThat(switched.statusCode()).isEqualTo(303);
        assertThat(java.net.URI.create(switched.header("Location")).getPath()).as("back to the channel page")
                .isEqualTo("/channels/" + channel);
        assertThat(requiresApproval(channel)).isTrue();
        Document held = Pages.page(facilitator, "/channels/" + channel);
        assertThat(held.selectFirst("form.approval-switch .approval-state").text()).contains("wait for a facilitator");
        assertThat(held.selectFirst("form.approval-switch button").text()).isEqualTo("Publish anonymous posts at once");
        assertThat(as(facilitator).queryParam("action", "channel.approval").get("/api/audit").then().statusCode(200)
                .extract().jsonPath().getList("action", String.class)).contains("channel.approval.on");

        // A member who forges the switch is refused, and nothing changes.
        Document forged = Jsoup.parse(formFor(member, "/channels/" + channel + "/approval"));
        assertThat(Pages.submit(member, forged, "form.f", Map.of("on", "false")).statusCode()).isEqualTo(403);
        assertThat(requiresApproval(channel)).isTrue();

        assertThat(Pages.submit(facilitator, held, "form.approval-switch", Map.of()).statusCode()).isEqualTo(303);
        assertThat(requiresApproval(channel)).isFalse();
    }

    @Test
    void shouldTellTheAuthorOfAWholeThreadHiddenOrDeletedWhyAndNobodyElse() {
        String facilitator = TestData.member("trfac");
        String author = TestData.member("trauthor");
        String replier = TestData.member("trreplier");
        String cohort = TestData.cohort(pool, facilitator, author, replier);
        long hidden = TestData.thread(author, cohort, "Our new behaviour policy", "Names and all");
        TestData.reply(replier, hidden, null, "Ours is similar.");
        long deleted = TestData.thread(author, cohort, "Selling my old textbooks", "Cheap");

        Response hide = Pages.submit(facilitator, Pages.page(facilitator, "/threads/" + hidden), "form.remove-thread",
                Map.of("action", "hide", "reason", "It names pupils"));
        assertThat(hide.statusCode()).isEqualTo(303);
        Response delete = Pages.submit(facilitator, Pages.page(facilitator, "/threads/" + deleted), "form.remove-thread",
                Map.of("action", "delete", "reason", "No selling here"));
        assertThat(delete.statusCode()).isEqualTo(303);

        Document mine = Pages.page(author, "/notifications");
        Element toldHidden = told(mine, "Our new behaviour policy");
        assertThat(toldHidden.selectFirst(".what a").text()).startsWith("A facilitator hid your thread");
        assertThat(toldHidden.selectFirst(".reason q").text()).isEqualTo("It names pupils");
        // The thread is removed: the notification leads to no thread its author can no longer open.
        assertThat(toldHidden.attr("data-target")).isEqualTo("/notifications");
        Element toldDeleted = told(mine, "Selling my old textbooks");
        assertThat(toldDeleted.selectFirst(".what a").text()).startsWith("A facilitator deleted your thread");
        assertThat(toldDeleted.selectFirst(".reason q").text()).isEqualTo("No selling here");
        // The authors of replies in it are not told of a removal they did not cause.
        assertThat(Pages.page(replier, "/notifications").select("li[data-kind=moderation]")).isEmpty();
    }

    @Test
    void shouldLetTheAuthorOfAnAnonymousThreadFindItsRemovalWithNothingStoredThatNamesThem() {
        TestData.networkOfAtLeast(pool, 8);
        String author = TestData.member("tranon");
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = as(author).body(Map.of("title", "A head who takes the credit", "body", "What would you do?",
                "tags", List.of())).post("/api/channels/" + undiscussables + "/threads").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as("fran").body(Map.of("reason", "Too easy to tell which school")).put("/api/threads/" + thread + "/hidden")
                .then().statusCode(204);

        Element removal = Pages.page(author, "/notifications")
                .selectFirst(".anonymous-removals li[data-thread-id=" + thread + "][data-action=hidden]");
        assertThat(removal).as("the computed removal of the anonymous thread").isNotNull();
        assertThat(removal.selectFirst(".what").text()).startsWith("A facilitator hid your anonymous thread")
                .contains("A head who takes the credit");
        assertThat(removal.selectFirst(".reason q").text()).isEqualTo("Too easy to tell which school");
        assertThat(Pages.page("bob", "/notifications").select(".anonymous-removals li[data-thread-id=" + thread + "]"))
                .isEmpty();
        long authorRows = pool.preparedQuery("select count(*) from notification n join member m on m.id = n.member_id"
                + " where m.username = $1").execute(Tuple.of(author)).await().indefinitely().iterator().next().getLong(0);
        assertThat(authorRows).isZero();
    }

    @Test
    void shouldOfferAnAnonymousThreadOnlyTheUndiscussablesAndLetItsAuthorFindTheMoveWithNothingStoredThatNamesThem() {
        TestData.networkOfAtLeast(pool, 8);
        String author = TestData.member("mvanon");
        String from = TestData.channel(pool, "undiscussables");
        String to = TestData.channel(pool, "undiscussables");
        String named = TestData.networkChannel(pool);
        long thread = as(author).body(Map.of("title", "A trustee who bullies", "body", "Where do I turn?",
                "tags", List.of())).post("/api/channels/" + from + "/threads").then().statusCode(201)
                .extract().jsonPath().getLong("id");

        Document dialog = Pages.page("fran", "/threads/" + thread + "/move");
        List<String> offered = dialog.select("select[name=channel] option").eachAttr("value");
        assertThat(offered).contains(to).doesNotContain(from, named);
        Response moved = Pages.submit("fran", dialog, "form.move-thread",
                Map.of("channel", to, "reason", "The other channel is for governance"));
        assertThat(moved.statusCode()).isEqualTo(303);

        Element told = Pages.page(author, "/notifications")
                .selectFirst(".anonymous-removals li[data-thread-id=" + thread + "][data-action=moved]");
        assertThat(told).as("the computed move of the anonymous thread").isNotNull();
        assertThat(told.selectFirst(".what").text()).startsWith("A facilitator moved your anonymous thread");
        assertThat(told.selectFirst(".what a").attr("href")).isEqualTo("/threads/" + thread);
        assertThat(told.selectFirst(".reason q").text()).isEqualTo("The other channel is for governance");
        assertThat(Pages.page("bob", "/notifications").select(".anonymous-removals li[data-thread-id=" + thread + "]"))
                .isEmpty();
        long authorRows = pool.preparedQuery("select count(*) from notification n join member m on m.id = n.member_id"
                + " where m.username = $1").execute(Tuple.of(author)).await().indefinitely().iterator().next().getLong(0);
        assertThat(authorRows).isZero();
    }

    @Test
    void shouldShowTheThreadRemovalFormAgainWithTheReasonKeptWhenASuspendedFacilitatorIsRefused() {
        String facilitator = TestData.member("rsfac");
        String author = TestData.member("rsauthor");
        String cohort = TestData.cohort(pool, facilitator, author);
        long thread = TestData.thread(author, cohort, "Exam season rotas", "Who covers what?");
        Document page = Pages.page(facilitator, "/threads/" + thread);

        OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).truncatedTo(ChronoUnit.SECONDS);
        as("ada").body(Map.of("until", until.toString(), "reason", "Cooling off"))
                .put("/api/members/" + memberId(facilitator) + "/suspension").then().statusCode(204);

        Response refused = Pages.submit(facilitator, page, "form.remove-thread",
                Map.of("action", "hide", "reason", "Off topic for the cohort"));
        assertThat(refused.statusCode()).isEqualTo(403);
        Document again = Jsoup.parse(refused.asString());
        assertThat(again.selectFirst("form.remove-thread input[name=reason]").attr("value")).isEqualTo("Off topic for the cohort");
        assertThat(again.select(".form-errors").text()).contains("suspended");
        // Someone who does not moderate the thread gets the refusal, not the facilitator's form.
        Response member = Pages.submit(author, Jsoup.parse(formFor(author, "/threads/" + thread + "/removal")), "form.f",
                Map.of("action", "hide", "reason", "x"));
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(Jsoup.parse(member.asString()).select("form.remove-thread")).isEmpty();
    }

    private static String formFor(String username, String action) {
        return "<form class=f action=" + action + "><input name=csrf-token value=" + Pages.csrfToken(username) + "></form>";
    }

    private static Element told(Document notifications, String title) {
        Element li = notifications.select("li[data-kind=moderation]").stream()
                .filter(e -> e.selectFirst(".what").text().contains(title)).findFirst().orElse(null);
        assertThat(li).as("the notification about the thread \"" + title + "\"").isNotNull();
        return li;
    }

    private boolean requiresApproval(String channel) {
        return pool.preparedQuery("select requires_approval from channel where slug = $1").execute(Tuple.of(channel))
                .await().indefinitely().iterator().next().getBoolean(0);
    }

    private long memberId(String username) {
        return pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(username))
                .await().indefinitely().iterator().next().getLong(0);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }
}
