package org.roundtable.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/**
 * Long words wrap everywhere: a title that is one 196-character word, a display name of 196 characters, an
 * 80-character channel name, a 30-character tag, a 196-character word in an audit reason, a 300-character word and a
 * long code line in a post: in chromium at 1280 px, no page is wider than the window (code scrolls in its own box).
 */
@QuarkusTest
class LongWordsBrowserTest {

    static final int WIDTH = 1280;

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    static String word(String start, int length) {
        return (start + "abcdefghijklmnopqrstuvwxyz".repeat(20)).substring(0, length);
    }

    /** The page's width as laid out, against the window's. */
    static void assertNoWiderThanTheWindow(Page page, String path) {
        page.navigate(path);
        page.waitForLoadState();
        Number scrollWidth = (Number) page.evaluate("() => document.documentElement.scrollWidth");
        Number innerWidth = (Number) page.evaluate("() => window.innerWidth");
        Browser.screenshot(page, "long-words" + path.replaceAll("[^a-z0-9]+", "-"));
        assertThat(innerWidth.intValue()).isEqualTo(WIDTH);
        assertThat(scrollWidth.intValue()).as("scrollWidth of " + path).isLessThanOrEqualTo(innerWidth.intValue());
    }

    @Test
    void shouldKeepEveryPageWithinTheWindowWhateverTheLengthOfItsWords() {
        String username = Keycloak.uniqueUsername("long");
        String name = word("Longname", 196);
        Keycloak.createUser(username, name, "L");
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        String channel = TestData.networkChannel(pool);
        pool.preparedQuery("update channel set name = $2 where slug = $1")
                .execute(Tuple.of(channel, word("Channel", 80))).await().indefinitely();
        long thread = TestData.threadWithTags(username, channel, word("Title", 196),
                "An opening with " + word("word", 300) + " in it.\n\n```\n" + "code();".repeat(60) + "\n```\n\n"
                        + "| a | b |\n|---|---|\n| " + word("cell", 150) + " | " + word("cell", 150) + " |\n",
                word("tag-", 30));
        TestData.reply("alice", thread, null, "A reply to " + word("quote", 250));
        String suspendee = TestData.memberRow(pool, "long-susp");
        long suspendeeId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(suspendee))
                .await().indefinitely().iterator().next().getLong(0);
        given().auth().oauth2(Keycloak.token("ada")).contentType(ContentType.JSON)
                .body(Map.of("reason", word("Reason", 196))).put("/api/members/" + suspendeeId + "/suspension")
                .then().statusCode(204);

        Page member = browser.newPage();
        Page admin = browser.newPage();
        try {
            member.setViewportSize(WIDTH, 800);
            admin.setViewportSize(WIDTH, 800);
            Browser.logIn(member, "/me", username);
            for (String path : List.of("/threads/" + thread, "/channels", "/", "/channels/" + channel,
                    "/tags/" + word("tag-", 30), "/members/" + username, "/notifications", "/me")) {
                assertNoWiderThanTheWindow(member, path);
            }
            // the code block keeps its line and scrolls in its own box
            member.navigate("/threads/" + thread);
            Number codeOverflow = (Number) member.evaluate("() => { const pre = document.querySelector('.post .body pre');"
                    + " return pre.scrollWidth - pre.clientWidth; }");
            assertThat(codeOverflow.intValue()).isGreaterThan(0);
            Browser.logIn(admin, "/audit", "ada");
            assertNoWiderThanTheWindow(admin, "/audit");
            assertNoWiderThanTheWindow(admin, "/members/" + username);
        } finally {
            member.context().close();
            admin.context().close();
        }
    }
}
