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

    /**
     * A member with more items than one page: each page shows the items whose newest notification comes next, with the
     * counts and oldest of their whole groups, however far back those reach; a group shown on the first page does not
     * come again on the second where its older notifications lie; a notification of a removed post neither counts
     * nor heads its group; read and unread ones of one thread are two items.
     */
    @Test
    void shouldShowTheRightItemsAndGroupsOnTheFirstAndSecondPageOfAMemberWithMoreThanOnePage() {
        String member = TestData.member("deep");
        String channel = TestData.networkChannel(pool);
        long a = TestData.thread("bob", channel, "Deep pages A", "Body");
        long b = TestData.thread("bob", channel, "Deep pages B", "Body");
        long c = TestData.thread("bob", channel, "Deep pages C", "Body");
        long replyA = TestData.reply("bob", a, null, "A reply");
        long removedA = TestData.reply("bob", a, null, "A reply removed since");
        pool.preparedQuery("update post set deleted_at = now() where id = $1").execute(Tuple.of(removedA))
                .await().indefinitely();
        long postB = TestData.openingPost("bob", b);
        long postC = TestData.openingPost("bob", c);

        // one time for all, so that the order is the one written here however long the inserts take
        java.time.OffsetDateTime base = pool.query("select now()").execute().await().indefinitely().iterator().next()
                .getOffsetDateTime(0);
        notification(base, member, "reply", a, removedA, 1, false); // removed: neither counted nor the newest of its group
        long a2 = notification(base, member, "reply", a, replyA, 2, false);
        long b5 = notification(base, member, "new_post", b, postB, 5, true);
        // Items of their own: accepted answers (not mentions, which would wait in the mention mails' queue).
        List<Long> singles = new ArrayList<>();
        for (int m = 10; m <= 45; m++) {
            singles.add(notification(base, member, "answer_accepted", c, postC, m, false));
        }
        long c42 = notification(base, member, "new_post", c, postC, 42.5, false);
        notification(base, member, "reply", a, replyA, 40, false);
        long a50 = notification(base, member, "reply", a, replyA, 50, true); // read: an item apart from the unread ones
        notification(base, member, "new_post", b, postB, 70, true);
        long a80 = notification(base, member, "reply", a, replyA, 80, false);
        notification(base, member, "new_post", c, postC, 90, false);

        Document first = Pages.page(member, "/notifications");
        List<Long> expectedFirst = new ArrayList<>(List.of(a2, b5));
        expectedFirst.addAll(singles.subList(0, 28)); // minutes 10 to 37
        assertThat(ids(first)).containsExactlyElementsOf(expectedFirst);
        Element replies = first.selectFirst("ol.notifications li[data-id=" + a2 + "]");
        assertThat(replies.attr("data-count")).isEqualTo("3");
        assertThat(replies.hasClass("unread")).isTrue();
        assertThat(replies.selectFirst(".what a").attr("href")).isEqualTo("/notifications/" + a80 + "/open?group=true");
        Element posts = first.selectFirst("ol.notifications li[data-id=" + b5 + "]");
        assertThat(posts.attr("data-count")).isEqualTo("2");
        assertThat(posts.hasClass("read")).isTrue();
        String next = first.select("nav.pager a[rel=next]").attr("href");
        assertThat(next).startsWith("/notifications?before=");

        Document second = Pages.page(member, next);
        List<Long> expectedSecond = new ArrayList<>(singles.subList(28, 33)); // minutes 38 to 42
        expectedSecond.add(c42);
        expectedSecond.addAll(singles.subList(33, 36)); // minutes 43 to 45
        expectedSecond.add(a50);
        assertThat(ids(second)).containsExactlyElementsOf(expectedSecond);
        assertThat(second.selectFirst("ol.notifications li[data-id=" + c42 + "]").attr("data-count")).isEqualTo("2");
        Element readReply = second.selectFirst("ol.notifications li[data-id=" + a50 + "]");
        assertThat(readReply.attr("data-count")).isEqualTo("1");
        assertThat(readReply.hasClass("read")).isTrue();
        assertThat(second.select("nav.pager a[rel=next]")).isEmpty();
    }

    private static List<Long> ids(Document page) {
        return page.select("ol.notifications li").eachAttr("data-id").stream().map(Long::valueOf).toList();
    }

    /** A notification of the member, {@code minutesAgo} before {@code base}, read or not; its id. */
    private long notification(java.time.OffsetDateTime base, String member, String kind, long thread, long post,
            double minutesAgo, boolean read) {
        return pool.preparedQuery("""
                insert into notification (member_id, kind, thread_id, post_id, actor_id, created_at, read_at)
                select m.id, $2, $3, $4, b.id, $7 - make_interval(secs => $5), case when $6 then now() end
                from member m, member b where m.username = $1 and b.username = 'bob'
                returning id
                """).execute(Tuple.from(List.<Object>of(member, kind, thread, post, minutesAgo * 60, read, base)))
                .await().indefinitely().iterator().next().getLong("id");
    }
}
