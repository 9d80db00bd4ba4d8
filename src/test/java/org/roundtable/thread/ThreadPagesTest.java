package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/**
 * The thread pages over HTTP, as a browser without JavaScript uses them: real logins (Keycloak's form, then the
 * session cookies), forms read from the page and submitted with their hidden fields (CSRF token, idempotency key).
 */
@QuarkusTest
class ThreadPagesTest {

    @Inject
    Pool pool;

    // ---------------------------------------------------------------- the reply tree

    @Test
    void shouldNestRepliesInsideTheirParentAndShowRepliesDeeperThanFourFlatWithInReplyTo() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "How do you schedule teacher observations?", "Asking for a friend.");
        long d1 = TestData.reply("bob", thread, null, "Depth one");
        long d2 = TestData.reply("alice", thread, d1, "Depth two");
        long d3 = TestData.reply("bob", thread, d2, "Depth three");
        long d4 = TestData.reply("alice", thread, d3, "Depth four");
        long d5 = TestData.reply("bob", thread, d4, "Depth five");
        long d6 = TestData.reply("carmen", thread, d5, "Depth six");
        long sibling = TestData.reply("carmen", thread, null, "Another answer to the question");

        Document page = page("alice", "/threads/" + thread);

        Element first = post(page, d1);
        assertThat(first.parent().hasClass("conversation")).isTrue();
        assertThat(first.attr("data-depth")).isEqualTo("1");
        assertThat(first.select("> .post-main .body").text()).isEqualTo("Depth one");
        assertThat(childReplies(first)).containsExactly(d2);
        assertThat(childReplies(post(page, d2))).containsExactly(d3);
        assertThat(childReplies(post(page, d3))).containsExactly(d4);
        // Depth 4 is the deepest indent: depth 5 and 6 both sit flat in its replies, in conversation order.
        assertThat(childReplies(post(page, d4))).containsExactly(d5, d6);
        assertThat(post(page, d5).select("> .replies")).isEmpty();
        Element deepest = post(page, d6);
        assertThat(deepest.attr("data-depth")).isEqualTo("6");
        assertThat(deepest.attr("data-reply-to")).isEqualTo(String.valueOf(d5));
        assertThat(deepest.hasClass("flattened")).isTrue();
        Element inReplyTo = deepest.selectFirst("> .post-main .in-reply-to a");
        assertThat(inReplyTo.attr("href")).isEqualTo("#" + post(page, d5).id());
        assertThat(inReplyTo.text()).isEqualTo("Bob Brooks");
        // Replies shallower than the limit say nothing of "in reply to": the nesting shows it.
        assertThat(post(page, d4).select("> .post-main .in-reply-to")).isEmpty();
        assertThat(post(page, sibling).parent().hasClass("conversation")).isTrue();

        // Author links, and the reply / quote links of each post.
        assertThat(first.selectFirst("> .post-main .post-header a.author").attr("href")).isEqualTo("/members/bob");
        assertThat(first.selectFirst("> .post-main a.reply-link").attr("href"))
                .isEqualTo("/threads/" + thread + "/reply?to=" + d1);
        assertThat(page.select("h1")).hasSize(1);
        assertThat(page.select("h1").text()).isEqualTo("How do you schedule teacher observations?");
        assertThat(page.select("nav.breadcrumb a[href=/channels/" + channel + "]")).hasSize(1);
    }

    @Test
    void shouldReplyToAReplyThroughTheComposerAndQuoteThePostReplyingTo() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Family conferences: in person or online?", "We are deciding.");
        long bobs = TestData.reply("bob", thread, null, "Both, *families choose*.\n\nSecond paragraph.");

        Document composer = page("alice", "/threads/" + thread + "/reply?to=" + bobs + "&quote=true");
        assertThat(composer.select("h1").text()).isEqualTo("Reply to Bob Brooks");
        assertThat(composer.select(".replying-to .body em").text()).isEqualTo("families choose");
        String quoted = composer.selectFirst("textarea#body").val();
        assertThat(quoted).startsWith("[Bob Brooks wrote](</threads/" + thread + "#post-2>):")
                .contains("> Both, *families choose*.").contains("> Second paragraph.");
        assertThat(composer.selectFirst("label[for=body]")).isNotNull();

        Response posted = submit("alice", composer, "form.composer", Map.of("body", quoted + "We do the same."), "post");
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(posted.header("Location")).endsWith("/threads/" + thread + "#post-3");

        Document page = page("alice", "/threads/" + thread);
        Element reply = page.selectFirst("#post-2 > .replies > #post-3");
        assertThat(reply).isNotNull();
        assertThat(reply.attr("data-reply-to")).isEqualTo(String.valueOf(bobs));
        assertThat(reply.select("> .post-main .body blockquote").text()).contains("families choose");
    }

    @Test
    void shouldShowFiftyRepliesOnTheFirstPageAndTheRestOnTheNext() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Fifty-one answers", "Count them.");
        for (int i = 1; i <= ThreadService.PAGE_SIZE + 1; i++) {
            TestData.reply(i % 2 == 0 ? "bob" : "carmen", thread, null, "Answer " + i);
        }

        Document first = page("alice", "/threads/" + thread);
        List<String> shown = first.select("section.conversation article.post > .post-main .body").eachText();
        assertThat(shown).hasSize(ThreadService.PAGE_SIZE);
        assertThat(shown.get(0)).isEqualTo("Answer 1");
        assertThat(shown.get(ThreadService.PAGE_SIZE - 1)).isEqualTo("Answer " + ThreadService.PAGE_SIZE);
        assertThat(first.select("nav.pager a[rel=next]").attr("href")).isEqualTo("/threads/" + thread + "?page=2");

        Document second = page("alice", "/threads/" + thread + "?page=2");
        assertThat(second.select("section.conversation article.post > .post-main .body").eachText())
                .containsExactly("Answer " + (ThreadService.PAGE_SIZE + 1));
    }

    @Test
    void shouldSendThePageAsUtf8SoAccentsDashesAndEmojiArriveIntact() {
        String channel = TestData.networkChannel(pool);
        String title = "Budget cuts \u2014 what\u2019s next for Caf\u00e9 \u00fcber-schools?";
        long thread = TestData.thread("alice", channel, title, "Na\u00efve question \ud83d\ude42 \u65e5\u672c");

        Response response = get("alice", "/threads/" + thread);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Content-Type")).containsIgnoringCase("charset=UTF-8");
        Document page = Jsoup.parse(new String(response.asByteArray(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.select("h1").text()).isEqualTo(title);
        assertThat(page.select("#post-1 .body").text()).isEqualTo("Na\u00efve question \ud83d\ude42 \u65e5\u672c");
    }

    // ---------------------------------------------------------------- the accepted answer

    @Test
    void shouldShowTheAcceptedAnswerRightUnderTheQuestionOnceTheAskerMarksIt() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Who owns the master schedule?", "Principal or counselor?");
        TestData.reply("carmen", thread, null, "The counselor, always.");
        long bobs = TestData.reply("bob", thread, null, "A team of both, with a deadline.");

        // Only the asker sees the "Mark as answer" buttons.
        assertThat(page("bob", "/threads/" + thread).select("form.answer")).isEmpty();
        Document before = page("alice", "/threads/" + thread);
        assertThat(before.select("section.accepted-answer")).isEmpty();
        assertThat(before.select("#post-1 form.answer")).isEmpty();
        Response marked = submit("alice", before, "#post-3 form.answer", Map.of(), null);
        assertThat(marked.statusCode()).isEqualTo(303);

        Document page = page("alice", "/threads/" + thread);
        Element underQuestion = page.selectFirst("#post-1").nextElementSibling();
        assertThat(underQuestion.is("section.accepted-answer")).isTrue();
        assertThat(underQuestion.selectFirst("h2").text()).isEqualTo("Accepted answer");
        Element answer = underQuestion.selectFirst("article.post.accepted");
        assertThat(answer.attr("data-post-id")).isEqualTo(String.valueOf(bobs));
        assertThat(answer.select(".body").text()).isEqualTo("A team of both, with a deadline.");
        assertThat(answer.selectFirst("a.in-conversation").attr("href")).isEqualTo("#post-3");
        assertThat(page.select("article.post.accepted")).hasSize(1);
        assertThat(page.select(".thread-header .solved").text()).isEqualTo("Solved");
        // In its place in the conversation too, where the asker can unmark it.
        assertThat(page.select("#post-3.answer .answer-label").text()).isEqualTo("Accepted answer");
        assertThat(page.select("#post-3 form.answer button").text()).isEqualTo("Unmark as answer");

        assertThat(submit("alice", page, "#post-3 form.answer", Map.of(), null).statusCode()).isEqualTo(303);
        assertThat(page("alice", "/threads/" + thread).select("section.accepted-answer")).isEmpty();
    }

    // ---------------------------------------------------------------- edit, revisions, delete

    @Test
    void shouldKeepARevisionWhenAPostIsEditedAndShowEditedWithItsHistory() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Walkthrough templates worth sharing?", "First text, with a typo: teh.");
        long opening = TestData.openingPost("alice", thread);

        assertThat(page("alice", "/threads/" + thread).select("#post-1 a.edit-link").attr("href"))
                .isEqualTo("/posts/" + opening + "/edit");
        assertThat(page("bob", "/threads/" + thread).select("#post-1 a.edit-link")).isEmpty();
        Document form = page("alice", "/posts/" + opening + "/edit");
        assertThat(form.selectFirst("textarea#body").val()).isEqualTo("First text, with a typo: teh.");
        Response saved = submit("alice", form, "form.composer", Map.of("body", "Second text, *fixed*."), "save");
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/threads/" + thread + "#post-1");

        Document page = page("alice", "/threads/" + thread);
        assertThat(page.select("#post-1 .body em").text()).isEqualTo("fixed");
        Element edited = page.selectFirst("#post-1 a.edited");
        assertThat(edited.text()).isEqualTo("edited");
        assertThat(edited.attr("href")).isEqualTo("/posts/" + opening + "/revisions");

        Document history = page("bob", "/posts/" + opening + "/revisions");
        assertThat(history.select("h1")).hasSize(1);
        assertThat(history.select("section.revision.current .body").text()).isEqualTo("Second text, fixed.");
        Element first = history.selectFirst("section.revision[data-version=1]");
        assertThat(first.select(".body").text()).isEqualTo("First text, with a typo: teh.");
        assertThat(first.select("h2 time").attr("datetime")).isNotBlank();

        // The same (now stale) form again: 409, the text kept, what the post says now shown beside it.
        Response stale = submit("alice", form, "form.composer", Map.of("body", "Third text from an old tab."), "save");
        assertThat(stale.statusCode()).isEqualTo(409);
        Document again = Jsoup.parse(stale.asString());
        assertThat(again.selectFirst("textarea#body").val()).isEqualTo("Third text from an old tab.");
        assertThat(again.select(".form-errors").text()).contains("changed since you opened it");
        assertThat(again.select(".current-text pre").text()).isEqualTo("Second text, *fixed*.");
        assertThat(again.selectFirst("input[name=version]").val()).isEqualTo("2");
    }

    @Test
    void shouldShowAPlaceholderForADeletedPostAndKeepTheRepliesToIt() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Phones in class: the policy that worked", "Tell me yours.");
        long bobs = TestData.reply("bob", thread, null, "Something I regret writing.");
        long alices = TestData.reply("alice", thread, bobs, "An answer to it.");

        Document page = page("bob", "/threads/" + thread);
        Response deleted = submit("bob", page, "#post-2 > .post-main form.delete", Map.of(), null);
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.header("Location")).endsWith("/threads/" + thread + "#post-2");

        Document after = page("alice", "/threads/" + thread);
        Element placeholder = post(after, bobs);
        assertThat(placeholder.hasClass("deleted")).isTrue();
        assertThat(placeholder.select("> .post-main").text()).contains("This post was deleted.")
                .doesNotContain("regret");
        assertThat(placeholder.select("> .post-main form, > .post-main a.reply-link")).isEmpty();
        assertThat(childReplies(placeholder)).containsExactly(alices);
    }

    // ---------------------------------------------------------------- composers

    @Test
    void shouldShowTheNewThreadFormAgainWith400AndTheInputKeptWhenTheTitleIsTooShort() {
        String channel = TestData.networkChannel(pool);
        Document channelPage = page("alice", "/channels/" + channel);
        assertThat(channelPage.selectFirst("a.new-thread").attr("href")).isEqualTo("/channels/" + channel + "/new");
        Document form = page("alice", "/channels/" + channel + "/new");
        for (String field : List.of("title", "body", "tags")) {
            assertThat(form.select("label[for=" + field + "]")).as(field).hasSize(1);
        }

        Response refused = submit("alice", form, "form.composer",
                Map.of("title", "Hey", "body", "A body worth keeping.", "tags", "budget, staffing"), "post");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("text/html");
        Document again = Jsoup.parse(refused.asString());
        Element title = again.selectFirst("input#title");
        assertThat(title.val()).isEqualTo("Hey");
        assertThat(title.attr("aria-invalid")).isEqualTo("true");
        String describedBy = title.attr("aria-describedby");
        Element message = again.getElementById(describedBy.split(" ")[0]);
        assertThat(message.hasClass("field-error")).isTrue();
        assertThat(message.text()).contains("5 to 200");
        assertThat(again.selectFirst("textarea#body").val()).isEqualTo("A body worth keeping.");
        assertThat(again.selectFirst("textarea#body").hasAttr("aria-invalid")).isFalse();
        assertThat(again.selectFirst("input#tags").val()).isEqualTo("budget, staffing");
        assertThat(again.select(".form-errors[role=alert] a[href=#title]").text()).contains("5 to 200");
        // The same key as before: fixing the title and posting makes the thread once.
        assertThat(again.selectFirst("input[name=idempotencyKey]").val())
                .isEqualTo(form.selectFirst("input[name=idempotencyKey]").val());

        Response created = submit("alice", again, "form.composer", Map.of("title", "Hey, budget season again"), "post");
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.header("Location");
        assertThat(location).matches(".*/threads/\\d+$");
        Document thread = page("alice", location.substring(location.indexOf("/threads/")));
        assertThat(thread.select("h1").text()).isEqualTo("Hey, budget season again");
        assertThat(thread.select(".thread-header .tag").eachText()).containsExactly("budget", "staffing");
        assertThat(page("alice", "/channels/" + channel).select(".thread-list li .thread-title a").text())
                .isEqualTo("Hey, budget season again");
    }

    @Test
    void shouldPreviewTheRenderedReplyWithoutPostingIt() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Coaching new assistant principals", "What worked?");

        Document page = page("bob", "/threads/" + thread);
        Response preview = submit("bob", page, ".reply-box form.composer",
                Map.of("body", "A **bold** idea <script>alert(1)</script>"), "preview");
        assertThat(preview.statusCode()).isEqualTo(200);
        Document shown = Jsoup.parse(preview.asString());
        assertThat(shown.select(".preview .body strong").text()).isEqualTo("bold");
        assertThat(shown.select(".preview script")).isEmpty();
        assertThat(shown.selectFirst("textarea#body").val()).isEqualTo("A **bold** idea <script>alert(1)</script>");
        assertThat(replyCount(thread)).isZero();

        Response posted = submit("bob", shown, "form.composer", Map.of(), "post");
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(replyCount(thread)).isEqualTo(1);
    }

    @Test
    void shouldMakeOnePostWhenTheSameFormIsSubmittedTwice() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Substitute shortages this winter", "How are you coping?");

        Document page = page("bob", "/threads/" + thread);
        Map<String, String> body = Map.of("body", "We pay retirees a day rate.");
        Response first = submit("bob", page, ".reply-box form.composer", body, "post");
        Response second = submit("bob", page, ".reply-box form.composer", body, "post");
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(second.statusCode()).isEqualTo(303);
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(replyCount(thread)).isEqualTo(1);
        assertThat(page("bob", "/threads/" + thread).select("article.post.reply")).hasSize(1);
    }

    @Test
    void shouldShowTheLockedNoticeInsteadOfTheReplyFormOnALockedThread() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Closing this one", "Thanks all.");
        long bobs = TestData.reply("bob", thread, null, "Glad it helped.");
        Document open = page("carmen", "/threads/" + thread);
        pool.preparedQuery("update thread set locked_at = now() where id = $1").execute(Tuple.of(thread))
                .await().indefinitely();

        Document page = page("carmen", "/threads/" + thread);
        assertThat(page.select(".reply-box .locked-notice").text()).contains("This thread is locked");
        assertThat(page.select("form[action=/threads/" + thread + "/posts]")).isEmpty();
        assertThat(page.select("a.reply-link, a.quote-link")).isEmpty();
        assertThat(page.select(".thread-header .locked").text()).isEqualTo("Locked");

        // A form opened before the lock: 409, the notice, and the text kept.
        Response refused = submit("carmen", open, ".reply-box form.composer", Map.of("body", "Too late?"), "post");
        assertThat(refused.statusCode()).isEqualTo(409);
        Document again = Jsoup.parse(refused.asString());
        assertThat(again.select(".locked-notice").text()).contains("This thread is locked");
        assertThat(again.selectFirst("textarea#body").val()).isEqualTo("Too late?");
        assertThat(page("carmen", "/threads/" + thread + "/reply?to=" + bobs).select("form.composer")).isEmpty();
    }

    // ---------------------------------------------------------------- reactions, new since last visit

    @Test
    void shouldToggleAReactionWithAButtonAndMarkTheViewersOwn() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Reactions, please", "Thank me.");

        Document page = page("bob", "/threads/" + thread);
        Response on = submit("bob", page, "#post-1 form.reactions", Map.of(), null, "button[formaction$=/thanks]");
        assertThat(on.statusCode()).isEqualTo(303);
        assertThat(on.header("Location")).endsWith("/threads/" + thread + "#post-1");
        Element thanks = page("bob", "/threads/" + thread).selectFirst("#post-1 button[formaction$=/thanks]");
        assertThat(thanks.hasClass("mine")).isTrue();
        assertThat(thanks.attr("value")).isEqualTo("false");
        assertThat(thanks.select(".count").text()).isEqualTo("1");
        // The author sees the count, without buttons for their own post.
        Document alices = page("alice", "/threads/" + thread);
        assertThat(alices.select("#post-1 form.reactions")).isEmpty();
        assertThat(alices.select("#post-1 .reactions .reaction").text()).isEqualTo("Thanks 1");

        Response off = submit("bob", page("bob", "/threads/" + thread), "#post-1 form.reactions", Map.of(), null,
                "button[formaction$=/thanks]");
        assertThat(off.statusCode()).isEqualTo(303);
        Element after = page("bob", "/threads/" + thread).selectFirst("#post-1 button[formaction$=/thanks]");
        assertThat(after.hasClass("mine")).isFalse();
        assertThat(after.select(".count").text()).isEqualTo("0");
    }

    @Test
    void shouldMarkWhereThePostsNewSinceTheLastVisitBegin() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "What are you reading this summer?", "Books, please.");
        // alice's last visit was when she started the thread: bob's reply is new to her, then seen.
        long seen = TestData.reply("bob", thread, null, "Seen before");
        assertThat(page("alice", "/threads/" + thread).selectFirst("div.new-marker#new").nextElementSibling()
                .attr("data-post-id")).isEqualTo(String.valueOf(seen));
        long fresh = TestData.reply("carmen", thread, null, "New since alice looked");
        TestData.reply("bob", thread, fresh, "Also new");

        Document page = page("alice", "/threads/" + thread);
        assertThat(page.select(".new-marker")).hasSize(1);
        Element marker = page.selectFirst("div.new-marker#new");
        assertThat(marker.text()).isEqualTo("New since your last visit");
        assertThat(marker.nextElementSibling().attr("data-post-id")).isEqualTo(String.valueOf(fresh));
    }

    // ---------------------------------------------------------------- channels, members, not found

    @Test
    void shouldListChannelsAndAChannelsThreadsWithTheirMarks() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Budget season checklist", "Here is mine.");
        long bobs = TestData.reply("bob", thread, null, "Thanks!");
        given().auth().oauth2(Keycloak.token("alice")).contentType(ContentType.JSON).body(Map.of("postId", bobs))
                .put("/api/threads/" + thread + "/answer").then().statusCode(200);

        Document channels = page("carmen", "/channels");
        Element item = channels.selectFirst("li.channel[data-slug=" + channel + "]");
        assertThat(item.selectFirst("a").attr("href")).isEqualTo("/channels/" + channel);
        assertThat(item.select(".description").text()).isEqualTo("A channel of a test");
        assertThat(item.select(".thread-count").text()).isEqualTo("1 thread");
        assertThat(item.select(".unread").text()).isEqualTo("1 unread");
        assertThat(item.select("time").attr("datetime")).isNotBlank();

        Document list = page("carmen", "/channels/" + channel);
        Element row = list.selectFirst("li.thread[data-thread-id=" + thread + "]");
        assertThat(row.selectFirst(".thread-title a").attr("href")).startsWith("/threads/" + thread);
        assertThat(row.select("a.author").attr("href")).isEqualTo("/members/alice");
        assertThat(row.select(".reply-count").text()).isEqualTo("1 reply");
        assertThat(row.select(".solved")).hasSize(1);
        assertThat(row.select(".unread")).hasSize(1);
        page("carmen", "/threads/" + thread);
        assertThat(page("carmen", "/channels/" + channel).select("li.thread .unread")).isEmpty();
    }

    @Test
    void shouldShowAMembersThreadsOnlyInChannelsTheViewerMaySee() {
        String open = TestData.networkChannel(pool);
        String cohortChannel = cohortChannelWith("alice");
        long visible = TestData.thread("alice", open, "An open question from alice " + UUID.randomUUID(), "Anyone?");
        long hidden = TestData.thread("alice", cohortChannel, "A cohort question from alice", "Just us.");

        Document asBob = page("bob", "/members/alice");
        assertThat(asBob.select("h1").text()).isEqualTo("Alice Alvarez");
        assertThat(asBob.select("li.thread[data-thread-id=" + visible + "]")).hasSize(1);
        assertThat(asBob.select("li.thread[data-thread-id=" + hidden + "]")).isEmpty();
        assertThat(page("alice", "/members/alice").select("li.thread[data-thread-id=" + hidden + "]")).hasSize(1);
        // The cohort's thread itself is a 404 for bob, like anything that does not exist.
        assertThat(get("bob", "/threads/" + hidden).statusCode()).isEqualTo(404);
        assertThat(get("bob", "/members/nobody-" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerAnUnknownThreadChannelOrPostWithA404Page() {
        for (String path : List.of("/threads/987654321", "/channels/no-such-channel-" + UUID.randomUUID().toString().substring(0, 8),
                "/channels/no-such-channel/new", "/posts/987654321/revisions", "/threads/987654321/reply")) {
            Response response = get("alice", path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.contentType()).as(path).startsWith("text/html");
            Document page = Jsoup.parse(response.asString());
            assertThat(page.select("h1").text()).as(path).isEqualTo("Not found");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A cohort with a channel of its own, the member in it; returns the channel's slug. */
    private String cohortChannelWith(String username) {
        // The member row exists once they used the app; a token request makes sure of it.
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        String slug = "c-" + UUID.randomUUID().toString().substring(0, 12);
        pool.preparedQuery("""
                with co as (insert into cohort (slug, name) values ($1, $2) returning id),
                ch as (insert into channel (slug, name, kind, cohort_id) select $1, $2, 'cohort', id from co returning id),
                cm as (insert into cohort_member (cohort_id, member_id) select co.id, m.id from co, member m where m.username = $3)
                select id from ch
                """).execute(Tuple.of(slug, "Cohort " + slug, username)).await().indefinitely();
        return slug;
    }

    /** Each person's cookies: the page session's jar (Pages), renewed with its login. */
    private static Map<String, String> cookies(String username) {
        return org.roundtable.support.Pages.cookies(username);
    }

    private static Response keepCookies(String username, Response response) {
        cookies(username).putAll(response.getCookies());
        return response;
    }

    private static Response get(String username, String path) {
        return keepCookies(username, given().cookies(cookies(username)).redirects().follow(false).get(path));
    }

    private static Document page(String username, String path) {
        Response response = get(username, path);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return Jsoup.parse(response.asString());
    }

    private static Response submit(String username, Document page, String formSelector, Map<String, String> fields,
            String action) {
        return submit(username, page, formSelector, fields, action, null);
    }

    /**
     * Submits a form of the page as a browser would: its fields as they are (hidden CSRF token and idempotency key
     * included), some of them changed, and the pressed button's name and value.
     */
    private static Response submit(String username, Document page, String formSelector, Map<String, String> fields,
            String action, String buttonSelector) {
        Element form = page.selectFirst(formSelector);
        assertThat(form).as(formSelector).isNotNull();
        Map<String, String> data = new LinkedHashMap<>();
        for (Element input : form.select("input[name], textarea[name]")) {
            data.put(input.attr("name"), input.is("textarea") ? input.val() : input.attr("value"));
        }
        data.putAll(fields);
        String target = form.attr("action");
        if (buttonSelector != null) {
            Element button = form.selectFirst(buttonSelector);
            target = button.hasAttr("formaction") ? button.attr("formaction") : target;
            data.put(button.attr("name"), button.attr("value"));
        } else if (action != null) {
            data.put("action", action);
        }
        return keepCookies(username, given().cookies(new HashMap<>(cookies(username))).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParams(data)
                .post(target));
    }

    private static Element post(Document page, long postId) {
        Element post = page.selectFirst("article.post[data-post-id=" + postId + "]:not(.accepted)");
        assertThat(post).as("post " + postId).isNotNull();
        return post;
    }

    /** The ids of the posts directly in a post's replies container. */
    private static List<Long> childReplies(Element post) {
        return post.select("> .replies > article.post").stream().map(e -> Long.parseLong(e.attr("data-post-id"))).toList();
    }

    private static int replyCount(long thread) {
        return given().auth().oauth2(Keycloak.token("alice")).get("/api/threads/" + thread)
                .then().statusCode(200).extract().jsonPath().getInt("replyCount");
    }
}
