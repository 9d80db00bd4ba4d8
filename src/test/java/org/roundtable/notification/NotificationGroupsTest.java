package org.roundtable.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * The notifications page groups and pages (issue 19): several replies to the member's posts in one thread are one
 * item with their number, opened at the first of them and marked read together; other kinds stay items of their
 * own; pages go by a keyset cursor, so an item never repeats or goes missing between pages.
 */
@QuarkusTest
class NotificationGroupsTest {

    @Inject
    Pool pool;

    @Test
    void shouldShowSeveralRepliesInOneThreadAsOneItemWithTheirNumberAndMarkThemReadTogether() {
        String author = TestData.member("grouped");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(author, channel, "Exam season wellbeing", "What do you put in place?");
        long opening = TestData.openingPost(author, thread);
        long first = TestData.reply("bob", thread, opening, "Quiet rooms.");
        TestData.reply("carmen", thread, opening, "Later starts.");
        TestData.reply("alice", thread, opening, "A calm corridor plan.");
        long elsewhere = TestData.thread(author, channel, "Staff briefings", "Daily or weekly?");
        TestData.reply("bob", elsewhere, TestData.openingPost(author, elsewhere), "Weekly.");

        Document page = Pages.page(author, "/notifications");
        List<Element> replies = page.select("ol.notifications li.notification[data-kind=reply]");
        assertThat(replies).hasSize(2);
        Element group = page.selectFirst("ol.notifications li.notification.grouped");
        assertThat(group).isNotNull();
        assertThat(group.attr("data-count")).isEqualTo("3");
        assertThat(group.hasClass("unread")).isTrue();
        assertThat(group.select(".what a").text()).isEqualTo("3 replies to your posts");
        assertThat(group.select(".what cite").text()).isEqualTo("Exam season wellbeing");
        assertThat(group.select(".group-latest").text()).isEqualTo("(the latest from Alice Alvarez)");
        Element single = page.selectFirst("ol.notifications li.notification[data-kind=reply]:not(.grouped)");
        assertThat(single.attr("data-count")).isEqualTo("1");
        assertThat(single.select(".what cite").text()).isEqualTo("Staff briefings");
        assertThat(page.select("header .nav-notifications .badge").text()).isEqualTo("4");

        // opening the group goes to the first of the replies and marks the three read, the other thread's stays unread
        Response opened = Pages.get(author, group.selectFirst(".what a").attr("href"));
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.header("Location")).endsWith("/posts/" + first);
        Document after = Pages.page(author, "/notifications");
        Element read = after.selectFirst("ol.notifications li.notification.grouped");
        assertThat(read.hasClass("read")).isTrue();
        assertThat(read.attr("data-count")).isEqualTo("3");
        assertThat(after.select("header .nav-notifications .badge").text()).isEqualTo("1");
        assertThat(after.selectFirst("ol.notifications li.notification[data-kind=reply]:not(.grouped)").hasClass("unread"))
                .isTrue();

        // a new reply after the group was read starts a new unread item; the read ones stay one item
        TestData.reply("carmen", thread, opening, "And a fourth idea.");
        Document later = Pages.page(author, "/notifications");
        List<String> counts = later.select("ol.notifications li.notification[data-kind=reply]").eachAttr("data-count");
        assertThat(counts).containsExactly("1", "1", "3");
    }

    @Test
    void shouldPageByCursorWithoutRepeatingOrSkippingAnItemWhenNewOnesArrive() {
        String member = TestData.member("paged");
        long thread = TestData.thread("bob", TestData.networkChannel(pool), "Paging notifications", "Body");
        long post = TestData.openingPost("bob", thread);
        // 65 mentions (items of their own), a minute apart
        pool.preparedQuery("""
                insert into notification (member_id, kind, thread_id, post_id, actor_id, created_at)
                select m.id, 'mention', $2, $3, b.id, now() - make_interval(mins => g)
                from member m, member b, generate_series(1, 65) g where m.username = $1 and b.username = 'bob'
                """).execute(Tuple.of(member, thread, post)).await().indefinitely();

        Document first = Pages.page(member, "/notifications");
        List<String> ids = new ArrayList<>(first.select("ol.notifications li").eachAttr("data-id"));
        assertThat(ids).hasSize(30);
        assertThat(first.select("nav.pager a[rel=first]")).isEmpty();
        String next = first.select("nav.pager a[rel=next]").attr("href");
        assertThat(next).startsWith("/notifications?before=");

        // a new notification arrives between two pages: the second page goes on where the first ended
        TestData.reply("carmen", thread, null, "Hello @" + member);
        Document second = Pages.page(member, next);
        ids.addAll(second.select("ol.notifications li").eachAttr("data-id"));
        assertThat(second.select("nav.pager a[rel=first]").attr("href")).isEqualTo("/notifications");
        Document third = Pages.page(member, second.select("nav.pager a[rel=next]").attr("href"));
        ids.addAll(third.select("ol.notifications li").eachAttr("data-id"));
        assertThat(third.select("nav.pager a[rel=next]")).isEmpty();
        assertThat(ids).hasSize(65).doesNotHaveDuplicates();

        // a cursor that is not one shows the first page
        assertThat(Pages.page(member, "/notifications?before=yesterday").select("ol.notifications li")).hasSize(30);
    }
}
