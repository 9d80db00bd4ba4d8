package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * The thread page keeps each post's rendered card (PostCards) and shares it between viewers whose card is the same.
 * What must never be shared: one session's CSRF token, one viewer's own reactions or edit links, a hidden post's body
 * that only facilitators see, or a card from before an edit.
 */
@QuarkusTest
class PostCardsTest {

    @Inject
    Pool pool;

    @Inject
    PostCards cards;

    @Test
    void shouldGiveEachViewerTheirOwnTokenReactionsAndLinksOnTheSamePosts() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Cards shared between viewers", "Read by many.");
        long bobs = TestData.reply("bob", thread, null, "Bob's answer.");
        String path = "/threads/" + thread;

        Document bobsPage = Pages.page("bob", path);
        Document carmensPage = Pages.page("carmen", path);
        assertThat(cards.size()).isPositive();

        // Each page's card forms carry that session's token: the same as the page's own composer form.
        String bobsToken = bobsPage.selectFirst("#post-1 form.reactions input[type=hidden]").attr("value");
        String carmensToken = carmensPage.selectFirst("#post-1 form.reactions input[type=hidden]").attr("value");
        assertThat(bobsToken).isNotBlank().isNotEqualTo(carmensToken);
        assertThat(bobsToken).isEqualTo(bobsPage.selectFirst("form.composer input[type=hidden]").attr("value"));
        assertThat(carmensToken).isEqualTo(carmensPage.selectFirst("form.composer input[type=hidden]").attr("value"));

        // So Carmen's reaction, sent from the card she was shown, is taken.
        Response reacted = Pages.submit("carmen", carmensPage, "#post-1 form.reactions", Map.of("on", "true"));
        assertThat(reacted.statusCode()).isEqualTo(303);

        // Her page shows the reaction as hers; Bob's shows the same count, not as his.
        Document carmensAfter = Pages.page("carmen", path);
        assertThat(carmensAfter.selectFirst("#post-1 button[formaction$=/thanks]").hasClass("mine")).isTrue();
        Document bobsAfter = Pages.page("bob", path);
        assertThat(bobsAfter.selectFirst("#post-1 button[formaction$=/thanks]").hasClass("mine")).isFalse();
        assertThat(bobsAfter.selectFirst("#post-1 button[formaction$=/thanks] .count").text()).isEqualTo("1");

        // Bob may edit his reply; Carmen, shown the same reply, may not, and may flag it.
        assertThat(bobsAfter.select("#post-2 a.edit-link").attr("href")).isEqualTo("/posts/" + bobs + "/edit");
        assertThat(carmensAfter.select("#post-2 a.edit-link")).isEmpty();
        assertThat(carmensAfter.select("#post-2 a.flag-link")).hasSize(1);
        assertThat(bobsAfter.select("#post-2 a.flag-link")).isEmpty();
    }

    @Test
    void shouldShowTextThatLooksLikeTheCachesSlotsAsTextWithoutTheTokenInIt() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Slots in a post", "Fine.");
        TestData.reply("bob", thread, null, "Code: `<rt-slot csrf>` and `<rt-slot body>`, raw: <rt-slot csrf>.");

        Document page = Pages.page("carmen", "/threads/" + thread);
        String token = page.selectFirst("form.composer input[type=hidden]").attr("value");
        assertThat(token).isNotBlank();
        assertThat(page.select("#post-2 .body code").eachText()).containsExactly("<rt-slot csrf>", "<rt-slot body>");
        assertThat(page.select("#post-2 .body").html()).doesNotContain(token).doesNotContain("Fine.");
        assertThat(page.select("#post-2 .body").text()).isEqualTo("Code: <rt-slot csrf> and <rt-slot body>, raw: <rt-slot csrf>.");
    }

    @Test
    void shouldShowAHiddenBodyToTheFacilitatorOnlyAndAnEditAtOnce() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Hidden and edited posts", "Opening.");
        TestData.reply("bob", thread, null, "Something a facilitator hides.");
        String path = "/threads/" + thread;

        Pages.page("carmen", path);
        Response hidden = Pages.submit("fran", Pages.page("fran", path), "#post-2 form.moderate[action$=/hide]", Map.of());
        assertThat(hidden.statusCode()).isEqualTo(303);

        // The facilitator sees the body, labelled; a member viewing right after sees the placeholder only.
        Document fransPage = Pages.page("fran", path);
        assertThat(fransPage.select("#post-2 .hidden-label").text()).isEqualTo("Hidden from members");
        assertThat(fransPage.select("#post-2 .body").text()).isEqualTo("Something a facilitator hides.");
        Document carmensPage = Pages.page("carmen", path);
        assertThat(carmensPage.select("#post-2 .body").text()).isEqualTo("This post was hidden by a facilitator.");
        assertThat(carmensPage.html()).doesNotContain("Something a facilitator hides.");

        // An edit shows on the next view, for everyone who saw the post before.
        long opening = TestData.openingPost("alice", thread);
        given().auth().oauth2(Keycloak.token("alice")).contentType(ContentType.JSON)
                .body(Map.of("body", "Opening, *edited*.", "version", 1)).patch("/api/posts/" + opening)
                .then().statusCode(200);
        Document after = Pages.page("carmen", path);
        assertThat(after.select("#post-1 .body").html()).isEqualTo("<p>Opening, <em>edited</em>.</p>");
        assertThat(after.select("#post-1 a.edited").attr("href")).isEqualTo("/posts/" + opening + "/revisions");
    }
}
