package org.roundtable.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * What issue 19 asks of the pages for the people with the most at stake: who will see this, times they can read, the
 * notifications, destructive actions that ask first, and the review queue in plain names.
 */
@QuarkusTest
class LeaderPagesTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    Pool pool;

    record Cohort(String slug, String name, String channel, String facilitator, String member, String other) {
    }

    /** A cohort of three (a facilitator, two members) with a cohort channel and its own undiscussables. */
    private Cohort cohort() {
        String facilitator = TestData.member("farah");
        String member = TestData.member("maria");
        String other = TestData.member("sam");
        String slug = "rs-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "Riverside district " + slug.substring(3);
        sql("insert into cohort (slug, name) values ($1, $2)", slug, name);
        TestData.addToCohort(pool, slug, "facilitator", facilitator);
        TestData.addToCohort(pool, slug, "member", member, other);
        sql("insert into channel (slug, name, kind, cohort_id) select $1, 'Staff room', 'cohort', id from cohort where slug = $2",
                slug + "-talk", slug);
        sql("insert into channel (slug, name, kind, cohort_id) select $1, 'Undiscussables', 'undiscussables', id from cohort where slug = $2",
                slug + "-u", slug);
        return new Cohort(slug, name, slug + "-talk", facilitator, member, other);
    }

    @Test
    void shouldSayOnEveryComposerThreadAndChannelPageWhoWillSeeIt() {
        Cohort c = cohort();
        long thread = TestData.thread(c.member(), c.channel(), "Observations in a small school", "How do you fit them in?");
        String only = "Only the 3 members of " + c.name() + " can see this";
        for (String path : new String[] {"/channels/" + c.channel(), "/channels/" + c.channel() + "/new",
                "/threads/" + thread, "/threads/" + thread + "/reply"}) {
            Document page = Pages.page(c.member(), path);
            assertThat(page.select("main .audience").first()).as(path).isNotNull();
            assertThat(page.select("main .audience").first().text()).as(path).startsWith(only);
            assertThat(page.select("main .audience svg.icon[aria-hidden=true]")).as(path + ": the lock").isNotEmpty();
        }
        // the thread page says it again beside the reply box; breadcrumbs go through the cohort
        Document threadPage = Pages.page(c.member(), "/threads/" + thread);
        assertThat(threadPage.select(".reply-box .audience").text()).startsWith(only);
        assertThat(threadPage.select("nav.breadcrumb a").eachAttr("href"))
                .containsExactly("/channels", "/cohorts/" + c.slug(), "/channels/" + c.channel());
        assertThat(Pages.page(c.member(), "/channels/" + c.channel()).select("nav.breadcrumb a").eachAttr("href"))
                .containsExactly("/channels", "/cohorts/" + c.slug());

        // the undiscussables say what anonymity means
        Document undiscussables = Pages.page(c.member(), "/channels/" + c.slug() + "-u");
        assertThat(undiscussables.select("main .audience").text()).startsWith(only)
                .contains("Posts here are anonymous").contains("not even for facilitators or administrators");

        // a network channel: everyone
        String network = TestData.networkChannel(pool);
        long networkThread = TestData.thread(c.member(), network, "A question for everyone", "Anyone?");
        for (String path : new String[] {"/channels/" + network, "/channels/" + network + "/new", "/threads/" + networkThread}) {
            assertThat(Pages.page(c.member(), path).select("main .audience").first().text()).as(path)
                    .isEqualTo("All members of the network can see this.");
        }
    }

    @Test
    void shouldShowTimesRelativeToNowWithTheAbsoluteTimeInTheMembersZone() {
        Cohort c = cohort();
        given().auth().oauth2(Keycloak.token(c.member())).contentType(ContentType.JSON)
                .body(Map.of("digest", "daily", "hour", 7, "weekday", 1, "timeZone", "Europe/Paris"))
                .put("/api/preferences").then().statusCode(200);
        long thread = TestData.thread(c.other(), c.channel(), "Timetables for next year", "When do you start?");
        // three hours ago: the words cannot change while the test runs
        sql("update post set created_at = now() - interval '3 hours 10 minutes' where thread_id = $1", thread);
        sql("update thread set last_posted_at = now() - interval '3 hours 10 minutes' where id = $1", thread);

        Element time = Pages.page(c.member(), "/threads/" + thread).selectFirst("#post-1 .post-header time");
        assertThat(time).isNotNull();
        assertThat(time.attr("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(time.text()).isEqualTo("3 hours ago");
        assertThat(time.attr("title")).isEqualTo(TimeFormat.local(OffsetDateTime.parse(time.attr("datetime")), PARIS));
        assertThat(time.attr("title")).endsWith("(CET)");

        Element listed = Pages.page(c.member(), "/channels/" + c.channel())
                .selectFirst("li[data-thread-id=" + thread + "] time");
        assertThat(listed.text()).isEqualTo("3 hours ago");
        assertThat(listed.attr("title")).isEqualTo(time.attr("title"));

        // a member who chose no zone reads UTC
        Element utc = Pages.page(c.other(), "/threads/" + thread).selectFirst("#post-1 .post-header time");
        assertThat(utc.attr("title")).isEqualTo(TimeFormat.local(OffsetDateTime.parse(utc.attr("datetime")), ZoneId.of("UTC")))
                .endsWith("(UTC)");
    }

    @Test
    void shouldMarkANotificationReadWhenItIsOpenedAndPageThemThirtyAtATime() {
        Cohort c = cohort();
        long thread = TestData.thread(c.member(), c.channel(), "Parents evening formats", "What works for you?");
        long reply = TestData.reply(c.facilitator(), thread, TestData.openingPost(c.member(), thread),
                "We run it in two halves.");

        Document page = Pages.page(c.member(), "/notifications");
        Element item = page.selectFirst("li.notification.unread[data-kind=reply]");
        assertThat(item).isNotNull();
        assertThat(item.select("time").text()).matches("just now|\\d+ minutes? ago");
        String id = item.attr("data-id");
        assertThat(item.selectFirst("a").attr("href")).isEqualTo("/notifications/" + id + "/open");
        assertThat(page.select("header .nav-notifications .badge").text()).isEqualTo("1");

        Response opened = Pages.get(c.member(), "/notifications/" + id + "/open");
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.header("Location")).endsWith("/posts/" + reply);
        Document after = Pages.page(c.member(), "/notifications");
        assertThat(after.select("li.notification[data-id=" + id + "]").hasClass("read")).isTrue();
        assertThat(after.select("header .badge")).isEmpty();

        // another member's notification is not theirs to open: back to the list, nothing marked
        Response foreign = Pages.get(c.other(), "/notifications/" + id + "/open");
        assertThat(foreign.statusCode()).isEqualTo(303);
        assertThat(foreign.header("Location")).endsWith("/notifications");

        // 35 items (mentions are items of their own; NotificationGroupsTest has the grouped kinds): 30 on the first
        // page, the rest on the next, which starts after the last one shown (a keyset cursor)
        sql("""
                insert into notification (member_id, kind, thread_id, post_id, actor_id, created_at)
                select m.id, 'mention', $2, $3, f.id, now() - make_interval(mins => g)
                from member m, member f, generate_series(1, 34) g where m.username = $1 and f.username = $4
                """, c.member(), thread, reply, c.facilitator());
        Document first = Pages.page(c.member(), "/notifications");
        assertThat(first.select("ol.notifications li")).hasSize(30);
        String older = first.select("nav.pager a[rel=next]").attr("href");
        assertThat(older).startsWith("/notifications?before=");
        Document second = Pages.page(c.member(), older);
        assertThat(second.select("ol.notifications li")).hasSize(5);
        assertThat(second.select("nav.pager a[rel=first]").attr("href")).isEqualTo("/notifications");
        assertThat(second.select("nav.pager a[rel=next]")).isEmpty();
        java.util.Set<String> shown = new java.util.HashSet<>(first.select("ol.notifications li").eachAttr("data-id"));
        shown.addAll(second.select("ol.notifications li").eachAttr("data-id"));
        assertThat(shown).as("every item once").hasSize(35);
    }

    @Test
    void shouldAskBeforeRemovingAMemberOrChangingARoleSayingWhatHappensAndToWhom() {
        Cohort c = cohort();
        Document page = Pages.page(c.facilitator(), "/cohorts/" + c.slug());
        Element remove = page.selectFirst(".members li[data-username=" + c.member() + "] details.confirm");
        assertThat(remove).isNotNull();
        assertThat(remove.hasAttr("open")).isFalse();
        assertThat(remove.selectFirst("summary").text()).isEqualTo("remove");
        String name = page.selectFirst(".members li[data-username=" + c.member() + "] > a").text();
        assertThat(remove.select(".confirm-box p").text())
                .isEqualTo("Remove " + name + " from " + c.name() + "? They can no longer read its channels; what they wrote stays.");
        assertThat(remove.select("form button").text()).isEqualTo("Remove " + name);

        // the thread page: deleting one's post and hiding someone's ask first; hiding takes a reason
        long thread = TestData.thread(c.member(), c.channel(), "Cover for absent staff", "How do you plan it?");
        long reply = TestData.reply(c.other(), thread, null, "A rota, shared a week ahead.");
        Document mine = Pages.page(c.other(), "/threads/" + thread);
        assertThat(mine.select("#post-2 details.confirm summary").text()).isEqualTo("Delete");
        assertThat(mine.select("#post-2 details.confirm .confirm-box p").text()).contains("cannot be undone");
        Document facilitated = Pages.page(c.facilitator(), "/threads/" + thread);
        Element hide = facilitated.selectFirst("#post-2 details.confirm:has(form[action$='/hide'])");
        assertThat(hide).isNotNull();
        String author = facilitated.selectFirst("#post-2 .post-header .author").text();
        assertThat(hide.select("p").text()).startsWith("Hide this post of " + author + " from members?");
        Response hidden = Pages.submit(c.facilitator(), facilitated, "#post-2 form[action$='/hide']",
                Map.of("reason", "Names a pupil"));
        assertThat(hidden.statusCode()).isEqualTo(303);
        assertThat(pool.preparedQuery("select reason from audit_entry where action = 'post.hide' and target_id = $1")
                .execute(Tuple.of(String.valueOf(reply))).await().indefinitely().iterator().next().getString("reason"))
                .isEqualTo("Names a pupil");
    }

    @Test
    void shouldShowChannelNamesInTheReviewQueueAndKeepTheChosenDecisionBesideItsItemOnError() {
        Cohort c = cohort();
        long thread = TestData.thread(c.member(), c.channel(), "Budget cuts and staffing", "Where did you cut?");
        long post = TestData.reply(c.other(), thread, null, "Everywhere, sadly.");
        given().auth().oauth2(Keycloak.token(c.member())).contentType(ContentType.JSON).body(Map.of("reason", "off-topic"))
                .post("/api/posts/" + post + "/flags").then().statusCode(201);

        Document queue = Pages.page(c.facilitator(), "/review");
        Element item = queue.selectFirst("li.queue-item[data-post-id=" + post + "]");
        assertThat(item).isNotNull();
        assertThat(item.select("h2 .muted bdi").text()).isEqualTo("Staff room");

        Response refused = Pages.submit(c.facilitator(), queue, "#item-" + post + " form.decision",
                Map.of("action", "delete", "reason", ""));
        assertThat(refused.statusCode()).isEqualTo(400);
        Document again = org.jsoup.Jsoup.parse(refused.asString());
        Element shown = again.selectFirst("#item-" + post);
        assertThat(shown.select("select[name=action] option[selected]").attr("value")).isEqualTo("delete");
        assertThat(shown.select("[role=alert], .field-error").text()).isNotBlank();
    }

    private void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }
}
