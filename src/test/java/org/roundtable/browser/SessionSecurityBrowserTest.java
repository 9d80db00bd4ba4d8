package org.roundtable.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.TestData;

/**
 * A member's session in a real browser (chromium) against what another site can make it do, and against a copied
 * cookie after logout.
 * <p>
 * The other site is a page served from another port of localhost: another origin, but the same site (a site is the
 * scheme and the registrable host; ports do not count), so the browser sends the app's {@code SameSite=Lax} session
 * cookie with its POSTs, and a cookie it writes for localhost reaches the app too. That is the case the CSRF token must
 * hold alone. (From 127.0.0.1 the browser would not send the Lax cookie with a POST at all: a different site.)
 */
@QuarkusTest
class SessionSecurityBrowserTest {

    static Browser browser;
    static HttpServer otherSite;
    static final Map<String, String> PAGES = new ConcurrentHashMap<>();

    @Inject
    Pool pool;

    @BeforeAll
    static void start() throws IOException {
        browser = new Browser();
        otherSite = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        otherSite.createContext("/", exchange -> {
            String html = PAGES.getOrDefault(exchange.getRequestURI().getPath(), "<!doctype html><title>nothing</title>");
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        otherSite.start();
    }

    @AfterAll
    static void stop() {
        otherSite.stop(0);
        browser.close();
    }

    static String otherSite(String path) {
        return "http://localhost:" + otherSite.getAddress().getPort() + path;
    }

    @Test
    void shouldChangeNothingWhenAnotherSitePostsToTheAppWithTheMembersSession() {
        String member = TestData.member("victim");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(member, channel, "A thread of the victim", "Opening");
        long fetched = TestData.reply(member, thread, null, "Deleted by a no-cors fetch?");
        long formed = TestData.reply(member, thread, null, "Deleted by a forged form?");
        String app = Browser.appUrl();
        PAGES.put("/fetch.html", """
                <!doctype html><title>loading</title>
                <script>
                fetch('%s/posts/%d/delete', {method: 'POST', mode: 'no-cors', credentials: 'include'})
                  .then(() => { document.title = 'sent'; }, () => { document.title = 'failed'; });
                </script>
                """.formatted(app, fetched));
        // A cookie and field pair the attacker chose: the double-submit pattern without a session binding took it.
        PAGES.put("/form.html", """
                <!doctype html><title>form</title>
                <form id="f" method="post" action="%s/posts/%d/delete">
                  <input type="hidden" name="csrf-token" value="chosen-by-the-other-site">
                </form>
                <script>
                document.cookie = 'rt-csrf=chosen-by-the-other-site; path=/';
                document.getElementById('f').submit();
                </script>
                """.formatted(app, formed));

        Page page = browser.newPage();
        try {
            Browser.logIn(page, "/me", member);
            assertThat(page.locator("h1").textContent()).contains("Victim");

            page.navigate(otherSite("/fetch.html"));
            page.waitForFunction("document.title !== 'loading'");
            assertThat(page.title()).isEqualTo("sent"); // the request went out; its answer is opaque to the page

            Response answer = page.waitForResponse(r -> r.url().startsWith(app + "/posts/" + formed + "/delete"),
                    () -> page.navigate(otherSite("/form.html")));
            assertThat(answer.status()).isEqualTo(403);
            page.waitForURL(url -> url.startsWith(app));
            assertThat(page.locator("h1").textContent()).isEqualTo("This form could not be sent");

            assertThat(deleted(fetched)).as("the post the no-cors fetch aimed at is deleted").isFalse();
            assertThat(deleted(formed)).as("the post the forged form aimed at is deleted").isFalse();
            // The member's own pages still work: the session was not harmed either.
            page.navigate("/threads/" + thread);
            assertThat(page.locator("h1").textContent()).contains("A thread of the victim");
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "cross-site-post");
            throw e;
        } finally {
            page.context().close();
        }
    }

    @Test
    void shouldEndTheSessionOnTheServerAtLogoutSoThatACopiedCookieNoLongerWorks() {
        String member = TestData.member("leaver");
        long thread = TestData.thread(member, TestData.networkChannel(pool), "A thread of the leaver", "Opening");
        Page page = browser.newPage();
        Map<String, String> copied = new HashMap<>();
        String token;
        try {
            Browser.logIn(page, "/threads/" + thread, member);
            for (Cookie cookie : page.context().cookies(Browser.appUrl())) {
                copied.put(cookie.name, cookie.value);
            }
            token = page.locator("form input[name=csrf-token]").first().getAttribute("value");
            // The copy works while the session lasts.
            given().cookies(copied).redirects().follow(false).get("/me").then().statusCode(200);

            page.locator("header a[href='/logout']").click();
            page.waitForURL(url -> url.startsWith(Browser.appUrl() + "/") && !url.contains("/threads/"));
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "logout");
            throw e;
        } finally {
            page.context().close();
        }

        io.restassured.response.Response me = given().cookies(copied).redirects().follow(false).get("/me");
        assertThat(me.statusCode()).as("GET /me with the copied cookie after logout").isEqualTo(302);
        assertThat(me.header("Location")).startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/");

        long before = posts(thread);
        io.restassured.response.Response reply = given().cookies(copied).redirects().follow(false)
                .contentType(ContentType.URLENC).formParam("csrf-token", token).formParam("body", "Posted after logout")
                .post("/threads/" + thread + "/posts");
        assertThat(reply.statusCode()).as("a reply with the copied cookie after logout").isEqualTo(302);
        assertThat(reply.header("Location")).startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/");
        assertThat(Jsoup.parse(reply.asString()).text()).doesNotContain("Posted after logout");
        assertThat(posts(thread)).isEqualTo(before);
    }

    /**
     * A member who writes for longer than the ID token lives still sends their reply: the expired ID token is renewed
     * with the session's refresh token, in place, instead of a login redirect that would lose the form's text. The
     * client's token lifespan is made 10 s for this one login (and put back); the test waits, by the token's own
     * {@code exp} as stored, until the session's ID token has expired before it sends.
     */
    @Test
    void shouldRenewAnExpiredIdTokenSoThatAReplySentLateIsPostedAndNotLost() throws Exception {
        String member = TestData.member("slowwriter");
        long thread = TestData.thread(member, TestData.networkChannel(pool), "A thread of the slow writer", "Opening");
        String before = org.roundtable.support.Keycloak.setWebClientAttribute("access.token.lifespan", "10");
        Page page = browser.newPage();
        try {
            try {
                Browser.logIn(page, "/threads/" + thread + "/reply", member);
            } finally {
                org.roundtable.support.Keycloak.setWebClientAttribute("access.token.lifespan", before);
                // Every later login of the run gets the realm's lifespan again (a 10 s one would end copied sessions).
                String after = org.roundtable.support.Keycloak.webClientAttribute("access.token.lifespan");
                assertThat(after == null || after.isEmpty() ? null : after).isEqualTo(before);
            }
            String cookieBefore = sessionCookie(page);
            long exp = idTokenExpiry(cookieBefore);
            assertThat(exp - java.time.Instant.now().getEpochSecond()).as("the ID token of this login lives ~10 s")
                    .isLessThan(60);
            page.locator("textarea[name=body]").fill("Written slowly, sent after the ID token expired.");
            while (java.time.Instant.now().getEpochSecond() <= exp + 1) {
                Thread.sleep(250);
            }
            page.locator("form button[name=action][value=post]").click();
            page.waitForURL(url -> url.contains("/threads/" + thread) && !url.contains("/reply"));
            assertThat(page.locator("article").allTextContents()).anySatisfy(
                    text -> assertThat(text).contains("Written slowly, sent after the ID token expired."));
            // Renewed in place: the old session's row is gone and a new one serves the member.
            String cookieAfter = sessionCookie(page);
            assertThat(cookieAfter).isNotEqualTo(cookieBefore);
            assertThat(sessions(cookieBefore)).isZero();
            assertThat(sessions(cookieAfter)).isOne();
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "renewed-session");
            throw e;
        } finally {
            page.context().close();
        }
    }

    private static String sessionCookie(Page page) {
        return page.context().cookies(Browser.appUrl()).stream().filter(c -> c.name.equals("q_session"))
                .map(c -> c.value).findFirst().orElseThrow();
    }

    private long idTokenExpiry(String cookie) throws java.security.NoSuchAlgorithmException {
        String idToken = pool.preparedQuery("select id_token from web_session where id_hash = $1")
                .execute(Tuple.of(sha256Hex(cookie))).await().indefinitely()
                .iterator().next().getString("id_token");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(idToken.split("\\.")[1]),
                StandardCharsets.UTF_8);
        return new io.vertx.core.json.JsonObject(payload).getLong("exp");
    }

    private long sessions(String cookie) throws java.security.NoSuchAlgorithmException {
        return pool.preparedQuery("select count(*) as n from web_session where id_hash = $1")
                .execute(Tuple.of(sha256Hex(cookie))).await().indefinitely()
                .iterator().next().getLong("n");
    }

    /** The key of a session's row (as WebSessions stores it): the SHA-256 of the cookie's value, in hex. */
    private static String sha256Hex(String cookie) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(cookie.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean deleted(long post) {
        return pool.preparedQuery("select deleted_at is not null as deleted from post where id = $1").execute(Tuple.of(post))
                .await().indefinitely().iterator().next().getBoolean("deleted");
    }

    private long posts(long thread) {
        return pool.preparedQuery("select count(*) as n from post where thread_id = $1").execute(Tuple.of(thread))
                .await().indefinitely().iterator().next().getLong("n");
    }
}
