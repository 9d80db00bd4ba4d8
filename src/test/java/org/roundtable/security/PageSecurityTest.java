package org.roundtable.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Pages;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * Page sessions over HTTP: the CSRF token is the session's own (another session's token, a pair of cookie and field
 * chosen by an attacker, or no token at all is refused with a 403 page and changes nothing), pages of a member are
 * never stored by a cache, and the Dev UI answers no member.
 */
@QuarkusTest
class PageSecurityTest {

    @Inject
    Pool pool;

    @Test
    void shouldRefuseTheTokenOfAnotherSessionAndChangeNothing() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Alice's thread", "Opening");
        long post = TestData.reply("alice", thread, null, "Alice's reply");
        String bobsToken = Pages.csrfToken("bob");

        Response refused = post("alice", "/posts/" + post + "/delete", Map.of("csrf-token", bobsToken), Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Jsoup.parse(refused.asString()).select("h1").text()).isEqualTo("This form could not be sent");
        assertThat(deleted(post)).isFalse();
    }

    @Test
    void shouldRefuseACookieAndFieldPairChosenByAnAttackerAndChangeNothing() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Alice's other thread", "Opening");
        long post = TestData.reply("alice", thread, null, "Alice's other reply");
        String chosen = "AAAAAAAAAAAAAAAAAAAAAA"; // the size of a quarkus-rest-csrf token

        Response refused = post("alice", "/posts/" + post + "/delete", Map.of("csrf-token", chosen),
                Map.of("rt-csrf", chosen));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(deleted(post)).isFalse();
    }

    @Test
    void shouldRefuseAPostWithoutBodyOrContentTypeAndChangeNothing() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Alice's third thread", "Opening");
        long post = TestData.reply("alice", thread, null, "Alice's third reply");

        Response refused = given().cookies(new HashMap<>(Pages.cookies("alice"))).redirects().follow(false)
                .post("/posts/" + post + "/delete");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(deleted(post)).isFalse();
        // and with her own token, the same request does what it says
        Response done = post("alice", "/posts/" + post + "/delete", Map.of("csrf-token", Pages.csrfToken("alice")), Map.of());
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(deleted(post)).isTrue();
    }

    @Test
    void shouldSendNoStoreWithEveryHtmlResponseToAMember() {
        String member = TestData.member("cache"); // a plain member, facilitator of nothing
        long thread = TestData.thread(member, TestData.networkChannel(pool), "A member's thread", "Opening");
        Map<String, Integer> pages = new java.util.LinkedHashMap<>();
        pages.put("/", 200);
        pages.put("/me", 200);
        pages.put("/channels", 200);
        pages.put("/notifications", 200);
        pages.put("/threads/" + thread, 200);
        pages.put("/threads/999999999", 404); // an error page of the REST layer
        pages.put("/no/such/page", 404); // the last-resort route, outside the REST layer
        pages.put("/audit", 403); // a page this member may not see
        for (Map.Entry<String, Integer> page : pages.entrySet()) {
            Response response = given().cookies(new HashMap<>(Sessions.cookies(member))).redirects().follow(false)
                    .get(page.getKey());
            assertThat(response.statusCode()).as("GET " + page.getKey()).isEqualTo(page.getValue());
            assertThat(response.contentType()).as("GET " + page.getKey()).startsWith("text/html");
            assertThat(response.header("Cache-Control")).as("Cache-Control of " + page.getKey()).isEqualTo("no-store");
        }
        // A refused form's page too.
        Response refused = given().cookies(new HashMap<>(Sessions.cookies(member))).redirects().follow(false)
                .contentType(ContentType.URLENC).formParam("csrf-token", "wrong").post("/notifications/read");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void shouldNotOpenTheDevUiToALoggedInMember() {
        for (String path : List.of("/q/dev-ui", "/q/dev-ui/", "/q/dev-ui/configuration-form-editor", "/q/dev-ui/json-rpc-ws",
                "/q/dev", "/q/dev/")) {
            int status = given().cookies(new HashMap<>(Sessions.cookies("ada"))).redirects().follow(false).get(path)
                    .statusCode();
            assertThat(status).as("GET " + path + " as an admin of the realm").isEqualTo(403);
        }
    }

    private static Response post(String username, String path, Map<String, String> form, Map<String, String> extraCookies) {
        Map<String, String> cookies = new HashMap<>(Pages.cookies(username));
        cookies.putAll(extraCookies);
        return given().cookies(cookies).redirects().follow(false).contentType(ContentType.URLENC).formParams(form)
                .post(path);
    }

    private boolean deleted(long post) {
        return pool.preparedQuery("select deleted_at is not null as deleted from post where id = $1").execute(Tuple.of(post))
                .await().indefinitely().iterator().next().getBoolean("deleted");
    }
}
