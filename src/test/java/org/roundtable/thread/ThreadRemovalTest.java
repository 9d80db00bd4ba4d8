package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.digest.DigestService;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Whole threads taken down (issue 13, "What is removed must leave everything"): a facilitator hides or deletes a
 * thread with a reason, its author withdraws it (named, or anonymous by proving the pseudonym); its title then leaves
 * every list, count, profile, tag page, notification and digest of members, and its facilitators see it marked.
 */
@QuarkusTest
class ThreadRemovalTest {

    @Inject
    Pool pool;

    @Mailbox.Inject
    GreenMail greenMail;

    @Inject
    DigestService digests;

    // ---------------------------------------------------------------- hiding, from the thread page

    @Test
    void shouldTakeAHiddenThreadOutOfEverythingMembersSeeMarkItForItsFacilitatorsAndBringItBack() {
        String author = TestData.member("author");
        String mentioned = TestData.member("mentioned");
        String channel = TestData.networkChannel(pool);
        String tag = "removal-" + UUID.randomUUID().toString().substring(0, 8);
        String title = "A title that names a student " + tag;
        long thread = TestData.threadWithTags(author, channel, title, "The opening post", tag);
        long opening = TestData.openingPost(author, thread);
        TestData.reply("bob", thread, opening, "@" + mentioned + " what do you think?");
        assertSeenByMembers(true, author, mentioned, channel, tag, thread);
        assertThat(badge(author)).isEqualTo("1");
        assertThat(badge(mentioned)).isEqualTo("1");

        // The reason is required: the form comes back with the error, and nothing changed.
        Document page = Pages.page("fran", "/threads/" + thread);
        Response refused = Pages.submit("fran", page, "form.remove-thread", Map.of("action", "hide", "reason", " "));
        assertThat(refused.statusCode()).isEqualTo(400);
        Document again = Jsoup.parse(refused.asString());
        assertThat(again.select("#removal-reason-error").text()).contains("Give the reason");
        assertThat(again.select("form.remove-thread button[value=delete]")).hasSize(1);
        assertThat(Pages.get(mentioned, "/threads/" + thread).statusCode()).isEqualTo(200);

        Response hidden = Pages.submit("fran", page, "form.remove-thread",
                Map.of("action", "hide", "reason", "Names a student"));
        assertThat(hidden.statusCode()).isEqualTo(303);
        assertThat(hidden.header("Location")).endsWith("/threads/" + thread);

        assertSeenByMembers(false, author, mentioned, channel, tag, thread);
        // Issue 19: the author alone is told that a facilitator hid their thread, and why; that notification points at
        // no thread. The notifications that pointed at it (the reply to the author, the mention) are gone.
        assertThat(badge(author)).as("the author's badge: the removal they are told of").isEqualTo("1");
        assertThat(badge(mentioned)).as("the mentioned member's badge").isNull();
        for (String member : List.of(author, mentioned)) {
            JsonPath notifications = api(member).get("/api/notifications").then().statusCode(200).extract().jsonPath();
            assertThat(notifications.getList("notifications.threadId", Long.class)).doesNotContain(thread);
            assertThat(notifications.getInt("unread")).isEqualTo(member.equals(author) ? 1 : 0);
            assertThat(notifications.getList("notifications.kind", String.class))
                    .isEqualTo(member.equals(author) ? List.of("moderation") : List.of());
        }

        // Its facilitators still find it, marked, with the reason; the audit log has it.
        Document marked = Pages.page("fran", "/threads/" + thread);
        assertThat(marked.select(".removed-notice").text()).contains("hidden from members").contains("Names a student");
        assertThat(marked.select("section.reply-box form.composer")).isEmpty();
        assertThat(row(Pages.page("fran", "/channels/" + channel), thread).select(".removed-label").text())
                .isEqualTo("Removed (hidden)");
        assertThat(Pages.page("fran", "/tags/" + tag).select("li[data-thread=" + thread + "] .removed-label")).hasSize(1);
        assertThat(Pages.page("fran", "/members/" + author).select("li.thread[data-thread-id=" + thread + "] .removed-label"))
                .hasSize(1);
        assertThat(api("fran").get("/api/threads/" + thread).then().statusCode(200).extract().jsonPath().getString("removal"))
                .isEqualTo("hidden");
        assertThat(Pages.page("fran", "/audit?action=thread.hide").select("table.audit tbody tr").text())
                .contains("thread.hide", "Names a student");

        // Shown again: back everywhere.
        Response shown = Pages.submit("fran", Pages.page("fran", "/threads/" + thread), "form.unhide-thread", Map.of());
        assertThat(shown.statusCode()).isEqualTo(303);
        assertSeenByMembers(true, author, mentioned, channel, tag, thread);
        assertThat(badge(mentioned)).isEqualTo("1");
        assertThat(Pages.page("fran", "/audit?action=thread.unhide").select("table.audit tbody tr").text())
                .contains("thread.unhide");
    }

    // ---------------------------------------------------------------- deleting, through the API

    @Test
    void shouldDeleteAWholeThreadWithAReasonThroughTheApiAndRefuseOneWithout() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A thread to delete " + UUID.randomUUID(), "Opening");

        api("fran").body(Map.of()).put("/api/threads/" + thread + "/deleted").then().statusCode(400);
        api("bob").body(Map.of("reason", "Spam")).put("/api/threads/" + thread + "/deleted").then().statusCode(403);
        api("carmen").get("/api/threads/" + thread).then().statusCode(200);

        api("fran").body(Map.of("reason", "Spam")).put("/api/threads/" + thread + "/deleted").then().statusCode(204);
        api("carmen").get("/api/threads/" + thread).then().statusCode(404);
        api("alice").get("/api/threads/" + thread).then().statusCode(404);
        assertThat(api("carmen").get("/api/channels/" + channel + "/threads").then().extract().jsonPath()
                .getList("threads.id", Long.class)).doesNotContain(thread);
        assertThat(api("fran").get("/api/channels/" + channel + "/threads").then().extract().jsonPath()
                .getString("threads.find { it.id == " + thread + " }.removal")).isEqualTo("deleted");
        assertThat(Pages.page("fran", "/threads/" + thread).select(".removed-notice").text())
                .contains("deleted by a facilitator").contains("Spam");
        // Deleted is final: it cannot be shown again, nor hidden, nor replied to.
        api("fran").delete("/api/threads/" + thread + "/hidden").then().statusCode(404);
        api("fran").body(Map.of("body", "Late")).post("/api/threads/" + thread + "/posts").then().statusCode(404);
        assertThat(count("select count(*) from audit_entry where action = 'thread.delete' and target_id = $1 and reason = 'Spam'",
                String.valueOf(thread))).isEqualTo(1);
    }

    // ---------------------------------------------------------------- withdrawing: the author

    @Test
    void shouldLetTheAuthorWithdrawTheirThreadFromItsPageAndNobodyElse() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A thread alice withdraws " + UUID.randomUUID(), "Opening");
        TestData.reply("bob", thread, null, "A reply");

        assertThat(Pages.page("bob", "/threads/" + thread).select("form.withdraw-thread")).isEmpty();
        api("bob").delete("/api/threads/" + thread).then().statusCode(403);
        api("fran").delete("/api/threads/" + thread).then().statusCode(403);

        Response withdrawn = Pages.submit("alice", Pages.page("alice", "/threads/" + thread), "form.withdraw-thread", Map.of());
        assertThat(withdrawn.statusCode()).isEqualTo(303);
        assertThat(withdrawn.header("Location")).endsWith("/channels/" + channel);
        for (String member : List.of("alice", "bob", "carmen")) {
            assertThat(Pages.get(member, "/threads/" + thread).statusCode()).as(member).isEqualTo(404);
            assertThat(Pages.page(member, "/channels/" + channel).select("li.thread[data-thread-id=" + thread + "]")).isEmpty();
        }
        assertThat(Pages.page("alice", "/channels").selectFirst("li.channel[data-slug=" + channel + "] .thread-count").text())
                .isEqualTo("0 threads");
        assertThat(row(Pages.page("fran", "/channels/" + channel), thread).select(".removed-label").text())
                .isEqualTo("Removed (withdrawn)");
        api("alice").delete("/api/threads/" + thread).then().statusCode(404);
    }

    @Test
    void shouldLetAnAnonymousAuthorWithdrawTheirThreadByTheirPseudonymAndRecordNoMember() {
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = api("alice").body(Map.of("title", "Something I cannot say under my name", "body", "Anonymous", "tags", List.of()))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");

        api("bob").delete("/api/threads/" + thread).then().statusCode(403);
        api("alice").delete("/api/threads/" + thread).then().statusCode(204);

        api("carmen").get("/api/threads/" + thread).then().statusCode(404);
        api("alice").get("/api/threads/" + thread).then().statusCode(404);
        assertThat(api("fran").get("/api/threads/" + thread).then().statusCode(200).extract().jsonPath().getString("removal"))
                .isEqualTo("withdrawn");
        // Coarse, as every time of an anonymous post; and nothing (no audit entry) ties alice to it.
        assertThat(count("select count(*) from thread where id = $1 and deleted_at = date_trunc('hour', deleted_at)", thread))
                .isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where target_type = 'thread' and target_id = $1",
                String.valueOf(thread))).isZero();
    }

    // ---------------------------------------------------------------- digests

    @Test
    void shouldLeaveAHiddenThreadOutOfDigests() throws Exception {
        String reader = TestData.member("reader");
        String writer = TestData.member("writer");
        String channel = TestData.networkChannel(pool);
        api(reader).body(Map.of("level", "watching")).put("/api/channels/" + channel + "/follow").then().statusCode(200);
        Instant due = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        api(reader).body(Map.of("digest", "daily", "hour", due.atOffset(ZoneOffset.UTC).getHour(), "weekday", 1,
                "timeZone", "UTC")).put("/api/preferences").then().statusCode(200);
        TestData.thread(writer, channel, "A thread that stays", "Still here");
        long hidden = TestData.thread(writer, channel, "A thread a facilitator took down", "Gone");
        TestData.reply(writer, hidden, null, "A reply in it");
        api("fran").body(Map.of("reason", "Off-topic")).put("/api/threads/" + hidden + "/hidden").then().statusCode(204);

        digests.run(Clock.fixed(due.plus(5, ChronoUnit.MINUTES), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(2));

        List<MimeMessage> mails = Mailbox.to(greenMail, reader + "@test.roundtable.test");
        assertThat(mails).hasSize(1);
        String text = Mailbox.part(mails.get(0), "text/plain");
        assertThat(text).contains("A thread that stays").doesNotContain("took down").doesNotContain("/threads/" + hidden);
        assertThat(Mailbox.part(mails.get(0), "text/html")).doesNotContain("took down");
    }

    // ---------------------------------------------------------------- helpers

    /** Whether members see the thread: its page, the channel's page and count, its tag, home, the author's profile. */
    private static void assertSeenByMembers(boolean seen, String author, String reader, String channel, String tag,
            long thread) {
        for (String member : List.of(author, reader)) {
            assertThat(Pages.get(member, "/threads/" + thread).statusCode()).as(member + ": the thread").isEqualTo(seen ? 200 : 404);
            assertThat(Pages.page(member, "/channels/" + channel).select("li.thread[data-thread-id=" + thread + "]"))
                    .as(member + ": the channel").hasSize(seen ? 1 : 0);
            assertThat(Pages.page(member, "/channels").selectFirst("li.channel[data-slug=" + channel + "] .thread-count").text())
                    .as(member + ": the channel's count").isEqualTo(seen ? "1 thread" : "0 threads");
            assertThat(Pages.page(member, "/tags/" + tag).select("li[data-thread=" + thread + "]"))
                    .as(member + ": the tag page").hasSize(seen ? 1 : 0);
            assertThat(Pages.page(member, "/").select("li[data-thread=" + thread + "]"))
                    .as(member + ": the home page").hasSize(seen ? 1 : 0);
            assertThat(Pages.page(member, "/members/" + author).select("li.thread[data-thread-id=" + thread + "]"))
                    .as(member + ": the author's profile").hasSize(seen ? 1 : 0);
            assertThat(api(member).get("/api/channels/" + channel + "/threads").then().extract().jsonPath()
                    .getList("threads.id", Long.class)).as(member + ": the API's channel").hasSize(seen ? 1 : 0);
            assertThat(api(member).get("/api/members/" + author).then().extract().jsonPath().getList("threads.id", Long.class))
                    .as(member + ": the API's profile").hasSize(seen ? 1 : 0);
            assertThat(Pages.page(member, "/notifications").select("li.notification[data-target^=/posts/] a").size() > 0)
                    .as(member + ": notifications from the thread").isEqualTo(seen);
        }
    }

    /** The unread count in the header, or null when there is none. */
    private static String badge(String member) {
        Element badge = Pages.page(member, "/").selectFirst("a.nav-notifications .badge");
        return badge == null ? null : badge.text();
    }

    private static Element row(Document channelPage, long thread) {
        Element row = channelPage.selectFirst("li.thread[data-thread-id=" + thread + "]");
        assertThat(row).as("thread " + thread).isNotNull();
        return row;
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    private static RequestSpecification api(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }
}
