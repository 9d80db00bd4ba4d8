package org.roundtable.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HexFormat;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Faces (issue 19): initials avatars, drawn as inline SVG beside the name in lists, posts and notifications, hidden
 * from assistive technology (the name beside them says it); a post under a pseudonym gets the one neutral mark, the
 * same for every anonymous post, with nothing of its author in it.
 */
@QuarkusTest
class FacesTest {

    @Inject
    Pool pool;

    private static void assertFace(Element avatar, String initials) {
        assertThat(avatar).isNotNull();
        assertThat(avatar.tagName()).isEqualTo("svg");
        assertThat(avatar.attr("aria-hidden")).isEqualTo("true");
        assertThat(avatar.select("text").text()).isEqualTo(initials);
    }

    @Test
    void shouldShowTheInitialsOfTheAuthorBesideTheirNameInListsPostsAndNotifications() {
        String writer = TestData.member("faye"); // named "Faye Tester"
        String reader = TestData.member("reader");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(reader, channel, "Faces in the forum", "Who is who?");
        TestData.reply(writer, thread, TestData.openingPost(reader, thread), "It helps to see a face.");

        Document page = Pages.page(reader, "/threads/" + thread);
        Element header = page.selectFirst("#post-2 .post-header");
        assertFace(header.selectFirst("svg.avatar"), "FT");
        assertThat(header.selectFirst("svg.avatar + .author").text()).isEqualTo("Faye Tester");
        assertFace(page.selectFirst("#post-1 .post-header svg.avatar"), "RT");

        Document list = Pages.page(reader, "/channels/" + channel);
        assertFace(list.selectFirst("[data-thread-id=" + thread + "] .meta svg.avatar"), "RT");

        Element notification = Pages.page(reader, "/notifications").selectFirst("li.notification[data-kind=reply]");
        assertFace(notification.selectFirst("svg.avatar"), "FT");
        // the same member has the same face everywhere; another member has their own colour or initials
        assertThat(notification.selectFirst("svg.avatar").outerHtml()).isEqualTo(header.selectFirst("svg.avatar").outerHtml());
    }

    @Test
    void shouldGiveEveryAnonymousPostTheSameNeutralMarkWithNothingOfItsAuthor() {
        String alice = TestData.member("anna");
        String bea = TestData.member("bea");
        String cohort = TestData.cohortUndiscussables(pool, alice, bea);
        long first = anonymousThread(cohort, "First anonymous thread");
        long second = anonymousThread(cohort, "Second anonymous thread");

        Element one = Pages.page(alice, "/threads/" + first).selectFirst("#post-1 .post-header svg.avatar");
        Element two = Pages.page(bea, "/threads/" + second).selectFirst("#post-1 .post-header svg.avatar");
        assertThat(one).isNotNull();
        assertThat(one.hasClass("avatar-neutral")).isTrue();
        assertThat(one.attr("aria-hidden")).isEqualTo("true");
        assertThat(one.select("text")).isEmpty();
        assertThat(one.outerHtml()).isEqualTo(two.outerHtml());

        // a notification of an anonymous post (a reply to a named post) shows the neutral mark too
        pool.preparedQuery("""
                insert into notification (member_id, kind, thread_id, post_id)
                select m.id, 'reply', $2, p.id from member m, post p where m.username = $1 and p.thread_id = $2 and p.number = 1
                """).execute(Tuple.of(alice, first)).await().indefinitely();
        Element told = Pages.page(alice, "/notifications").selectFirst("li.notification[data-kind=reply]");
        assertThat(told.select(".what bdi").first().text()).startsWith("Anonymous");
        assertThat(told.selectFirst("svg.avatar").outerHtml()).isEqualTo(one.outerHtml());
    }

    private long anonymousThread(String channel, String title) {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        String pseudonym = HexFormat.of().formatHex(bytes);
        long id = pool.preparedQuery("""
                insert into thread (channel_id, title, author_pseudonym, post_count)
                select id, $2, $3, 1 from channel where slug = $1 returning id
                """).execute(Tuple.of(channel, title, pseudonym)).await().indefinitely().iterator().next().getLong("id");
        pool.preparedQuery("insert into post (thread_id, number, path, pseudonym, source, html) values ($1, 1, '{}', $2, 'Body', '<p>Body</p>')")
                .execute(Tuple.of(id, pseudonym)).await().indefinitely();
        return id;
    }
}
