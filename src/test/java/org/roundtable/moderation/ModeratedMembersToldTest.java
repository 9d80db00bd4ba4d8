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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Issue 19, "People who are moderated are told": the author of a post a facilitator hides or deletes is told, with the
 * reason (an anonymous author without anyone, the app's tables included, learning who they are); a suspended, silenced
 * or blocked member sees why and until when in place of the composer, and is not offered the forms that would refuse
 * them; an admin sees on a profile whether the member is suspended.
 */
@QuarkusTest
class ModeratedMembersToldTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    Pool pool;

    @Test
    void shouldTellTheAuthorOfANamedPostThatAFacilitatorHidOrDeletedWithTheReason() {
        String facilitator = TestData.member("tfac");
        String author = TestData.member("tauthor");
        String flagger = TestData.member("tflagger");
        String cohort = TestData.cohort(pool, facilitator, author, flagger);
        long thread = TestData.thread(facilitator, cohort, "Cover for absent colleagues", "How do you organise it?");
        long hidden = TestData.reply(author, thread, null, "Our head of maths handles it badly, frankly.");
        long deleted = TestData.reply(author, thread, null, "Buy my timetabling course at example.com");

        // Hidden from the thread page: the form asks for the reason, which the author is told.
        Document page = Pages.page(facilitator, "/threads/" + thread);
        Element hideForm = page.selectFirst("[data-post-id=" + hidden + "] form[action$=/hide]");
        assertThat(hideForm.selectFirst("input[name=reason]").hasAttr("required")).isTrue();
        assertThat(hideForm.text()).contains("Its author is told, with your reason");
        Response hide = Pages.submit(facilitator, page, "[data-post-id=" + hidden + "] form[action$=/hide]",
                Map.of("reason", "It names a colleague"));
        assertThat(hide.statusCode()).isEqualTo(303);

        // Deleted from the review queue, after a flag.
        as(flagger).body(Map.of("reason", "spam")).post("/api/posts/" + deleted + "/flags").then().statusCode(201);
        Document review = Pages.page(facilitator, "/review");
        Response decided = Pages.submit(facilitator, review, "form[action=/review/" + deleted + "/decision]",
                Map.of("action", "delete", "reason", "Advertising"));
        assertThat(decided.statusCode()).isEqualTo(303);

        Document notifications = Pages.page(author, "/notifications");
        Element toldHidden = told(notifications, hidden);
        assertThat(toldHidden.selectFirst(".what a").text()).startsWith("A facilitator hid your post");
        assertThat(toldHidden.selectFirst(".reason q").text()).isEqualTo("It names a colleague");
        Element toldDeleted = told(notifications, deleted);
        assertThat(toldDeleted.selectFirst(".what a").text()).startsWith("A facilitator deleted your post");
        assertThat(toldDeleted.selectFirst(".reason q").text()).isEqualTo("Advertising");
        assertThat(as(author).get("/api/notifications").then().statusCode(200).extract().jsonPath()
                .getList("notifications.findAll { it.kind == 'moderation' }.reason", String.class))
                .containsExactlyInAnyOrder("It names a colleague", "Advertising");
        // The flagger is told the outcome, not the author's reason sentence.
        assertThat(Pages.page(flagger, "/notifications").select("li[data-kind=moderation] .what").text())
                .contains("A post you flagged was deleted");
    }

    @Test
    void shouldLetTheAuthorOfAnAnonymousPostFindItsRemovalAndReasonWithNothingStoredThatNamesThem() {
        TestData.networkOfAtLeast(pool, 8);
        String author = TestData.member("tanon");
        String flagger = TestData.member("tflag2");
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = as(author).body(Map.of("title", "A governor I cannot work with", "body", "What do I do?",
                "tags", List.of())).post("/api/channels/" + undiscussables + "/threads").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long opening = TestData.openingPost(author, thread);
        long reply = TestData.reply(author, thread, null, "And it is getting worse every week.");

        as("fran").body(Map.of("reason", "Too easy to tell who this is")).put("/api/posts/" + opening + "/hidden")
                .then().statusCode(204);
        as(flagger).body(Map.of("reason", "inappropriate")).post("/api/posts/" + reply + "/flags").then().statusCode(201);
        as("fran").body(Map.of("action", "delete", "reason", "Names a person")).post("/api/review-queue/" + reply + "/decision")
                .then().statusCode(204);

        Document mine = Pages.page(author, "/notifications");
        Element hidden = mine.selectFirst(".anonymous-removals li[data-action=hidden]:has(a[href=/posts/" + opening + "])");
        assertThat(hidden).isNotNull();
        assertThat(hidden.selectFirst(".what").text()).startsWith("A facilitator hid your anonymous post");
        assertThat(hidden.selectFirst(".reason q").text()).isEqualTo("Too easy to tell who this is");
        assertThat(hidden.selectFirst("time")).isNotNull();
        Element deleted = mine.selectFirst(".anonymous-removals li[data-action=deleted]:has(a[href=/posts/" + reply + "])");
        assertThat(deleted).isNotNull();
        assertThat(deleted.selectFirst(".reason q").text()).isEqualTo("Names a person");
        assertThat(as(author).get("/api/notifications").then().statusCode(200).extract().jsonPath()
                .getList("yourAnonymousPostsRemoved.reason", String.class))
                .containsExactlyInAnyOrder("Too easy to tell who this is", "Names a person");

        // Nobody else is told, and nothing stored ties the author to the posts: no notification row about them.
        assertThat(Pages.page(flagger, "/notifications").select(".anonymous-removals")).isEmpty();
        assertThat(Pages.page("fran", "/notifications").select(".anonymous-removals")).isEmpty();
        long rows = pool.preparedQuery("select count(*) from notification where post_id = any($1) and kind = 'moderation'"
                + " and member_id <> (select id from member where username = $2)")
                .execute(Tuple.of(new Long[] { opening, reply }, flagger)).await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isZero();
        long authorRows = pool.preparedQuery("select count(*) from notification n join member m on m.id = n.member_id"
                + " where m.username = $1").execute(Tuple.of(author)).await().indefinitely().iterator().next().getLong(0);
        assertThat(authorRows).isZero();
    }

    @Test
    void shouldShowASilencedMemberWhyAndUntilWhenInPlaceOfTheComposerInTheirZoneAndOfferNoFormThatWouldRefuseThem() {
        String facilitator = TestData.member("sfac");
        String member = TestData.member("ssil");
        String cohort = TestData.cohort(pool, facilitator, member);
        long thread = TestData.thread(facilitator, cohort, "Planning the inset day", "Ideas welcome");
        as(member).body(Map.of("digest", "daily", "hour", 7, "weekday", 1, "timeZone", "Europe/Paris"))
                .put("/api/preferences").then().statusCode(200);
        // Before: the composer, the reactions and the new-thread link are offered.
        Document before = Pages.page(member, "/threads/" + thread);
        assertThat(before.select("form.composer")).hasSize(1);
        assertThat(before.select("form.reactions")).isNotEmpty();

        OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.SECONDS);
        as(facilitator).body(Map.of("cohort", cohort, "until", until.toString(), "reason", "Cooling off after the row"))
                .put("/api/members/" + memberId(member) + "/silence").then().statusCode(204);

        Document page = Pages.page(member, "/threads/" + thread);
        Element notice = page.selectFirst(".reply-box .read-only-notice[data-read-only=silenced]");
        assertThat(notice).isNotNull();
        assertThat(notice.selectFirst(".read-only-what").text()).contains("read-only here");
        assertThat(notice.selectFirst(".read-only-why q").text()).isEqualTo("Cooling off after the row");
        Element time = notice.selectFirst(".read-only-until time");
        assertThat(OffsetDateTime.parse(time.attr("datetime")).toInstant()).isEqualTo(until.toInstant());
        // In the member's zone (Paris is never at UTC's hour and minute): the absolute time in the title.
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        assertThat(time.attr("title")).contains(until.atZoneSameInstant(PARIS).format(hhmm))
                .doesNotContain(until.format(hhmm));
        assertThat(page.select("form.composer")).isEmpty();
        assertThat(page.select("form.reactions")).isEmpty();
        assertThat(page.select(".reply-link, .quote-link")).isEmpty();
        // Flags are not refused to a silenced member: they are still offered.
        assertThat(page.select(".flag-link")).isNotEmpty();

        Document channel = Pages.page(member, "/channels/" + cohort);
        assertThat(channel.select("a.new-thread")).isEmpty();
        assertThat(channel.select(".read-only-notice[data-read-only=silenced] .read-only-why q").text())
                .isEqualTo("Cooling off after the row");
        Document newThread = Pages.page(member, "/channels/" + cohort + "/new");
        assertThat(newThread.select("form.composer")).isEmpty();
        assertThat(newThread.select(".read-only-notice[data-read-only=silenced]")).hasSize(1);
        Document reply = Pages.page(member, "/threads/" + thread + "/reply");
        assertThat(reply.select("form.composer")).isEmpty();
        assertThat(reply.select(".read-only-notice[data-read-only=silenced]")).hasSize(1);

        // The facilitator, not silenced, is still offered everything.
        assertThat(Pages.page(facilitator, "/threads/" + thread).select("form.composer")).hasSize(1);
    }

    @Test
    void shouldShowASuspendedMemberWhyAndUntilWhenAndShowTheSuspensionOnTheProfileToAdminsOnly() {
        String member = TestData.member("tsusp");
        String other = TestData.member("tother");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(other, channel, "Budget lines for supply staff", "How do you plan them?");
        Document profileBefore = Pages.page("ada", "/members/" + member);
        assertThat(profileBefore.select(".suspension-status").text()).isEqualTo("Not suspended.");
        assertThat(profileBefore.select("form[action$=/unsuspend]")).isEmpty();

        OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusDays(10).truncatedTo(ChronoUnit.SECONDS);
        as("ada").body(Map.of("until", until.toString(), "reason", "Repeated personal attacks"))
                .put("/api/members/" + memberId(member) + "/suspension").then().statusCode(204);

        Document page = Pages.page(member, "/threads/" + thread);
        Element notice = page.selectFirst(".reply-box .read-only-notice[data-read-only=suspended]");
        assertThat(notice).isNotNull();
        assertThat(notice.selectFirst(".read-only-what").text()).startsWith("Your account is suspended");
        assertThat(notice.selectFirst(".read-only-why q").text()).isEqualTo("Repeated personal attacks");
        assertThat(OffsetDateTime.parse(notice.selectFirst(".read-only-until time").attr("datetime")).toInstant())
                .isEqualTo(until.toInstant());
        assertThat(page.select("form.composer, form.reactions, .flag-link, .reply-link")).isEmpty();
        Document channelPage = Pages.page(member, "/channels/" + channel);
        assertThat(channelPage.select("a.new-thread")).isEmpty();
        assertThat(channelPage.select(".read-only-notice[data-read-only=suspended]")).hasSize(1);

        Document profile = Pages.page("ada", "/members/" + member);
        Element status = profile.selectFirst(".suspension-status.suspended");
        assertThat(status).isNotNull();
        assertThat(status.text()).startsWith("Suspended until").contains("Repeated personal attacks");
        assertThat(OffsetDateTime.parse(status.selectFirst("time").attr("datetime")).toInstant()).isEqualTo(until.toInstant());
        assertThat(profile.select("form[action$=/unsuspend]")).hasSize(1);
        // Only staff: another member, and the member themselves, see nothing of it on the profile.
        assertThat(Pages.page(other, "/members/" + member).select(".suspension-status")).isEmpty();
        assertThat(Pages.page(other, "/members/" + member).text()).doesNotContain("Repeated personal attacks");
    }

    @Test
    void shouldShowTheAuthorOfABlockedPseudonymWhyInPlaceOfTheComposer() {
        TestData.networkOfAtLeast(pool, 8);
        String author = TestData.member("tblocked");
        String undiscussables = TestData.channel(pool, "undiscussables");
        long thread = as(author).body(Map.of("title", "A parent who shouts at staff", "body", "How do I respond?",
                "tags", List.of())).post("/api/channels/" + undiscussables + "/threads").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long opening = TestData.openingPost(author, thread);
        as("fran").body(Map.of("reason", "Personal details")).put("/api/posts/" + opening + "/author-block")
                .then().statusCode(204);

        Document page = Pages.page(author, "/threads/" + thread);
        Element notice = page.selectFirst(".reply-box .read-only-notice[data-read-only=blocked]");
        assertThat(notice).isNotNull();
        assertThat(notice.selectFirst(".read-only-why q").text()).isEqualTo("Personal details");
        assertThat(notice.selectFirst(".read-only-until").text()).isEqualTo("Until it is lifted.");
        assertThat(page.select("form.composer")).isEmpty();
        // Anyone else is offered the composer.
        assertThat(Pages.page("bob", "/threads/" + thread).select("form.composer")).hasSize(1);
    }

    private static Element told(Document notifications, long post) {
        Element li = notifications.selectFirst("li[data-kind=moderation][data-target=/posts/" + post + "]");
        assertThat(li).as("the notification about post " + post).isNotNull();
        return li;
    }

    private long memberId(String username) {
        return pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(username))
                .await().indefinitely().iterator().next().getLong(0);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }
}
