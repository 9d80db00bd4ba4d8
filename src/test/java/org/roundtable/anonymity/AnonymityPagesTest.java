package org.roundtable.anonymity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

@QuarkusTest
class AnonymityPagesTest {

    @Inject
    Pool pool;

    @Test
    void shouldPostAnonymouslyThroughTheComposerAndShowOnlyThePseudonym() {
        String writer = Keycloak.uniqueUsername("pagewriter");
        Keycloak.createUser(writer, "Paige", "Writer");
        Pages.get(writer, "/me");
        TestData.networkOfAtLeast(pool, 8);
        String channel = TestData.channel(pool, "undiscussables");

        Document composer = Pages.page(writer, "/channels/" + channel + "/new");
        assertThat(composer.select(".anonymity-notice").text()).contains("anonymous", "pseudonym");
        Response posted = Pages.submit(writer, composer, "form.composer",
                Map.of("title", "A risky topic raised anonymously", "body", "Our pilot failed.", "action", "post"));
        assertThat(posted.statusCode()).isEqualTo(303);
        String threadPath = posted.header("Location").replaceAll("^https?://[^/]+", "").replaceAll("#.*", "");

        for (String viewer : List.of("bob", "fran", "ada", writer)) {
            Document page = Pages.page(viewer, threadPath);
            Element opening = page.selectFirst("article#post-1");
            assertThat(opening.select(".author").text()).startsWith("Anonymous · ");
            assertThat(opening.select("a.author")).as("no profile link").isEmpty();
            assertThat(opening.select(".opener-label").text()).isEqualTo("original poster");
            assertThat(opening.text()).doesNotContain("Paige", writer);
        }
        // Only the author gets the edit link, by the recomputed pseudonym.
        assertThat(Pages.page(writer, threadPath).select("article#post-1 a.edit-link")).hasSize(1);
        assertThat(Pages.page("fran", threadPath).select("article#post-1 a.edit-link")).isEmpty();
    }

    @Test
    void shouldExplainWhyAnonymousPostingIsClosedBelowTheCrowdThreshold() {
        for (String demo : List.of("alice", "bob")) {
            given().auth().oauth2(Keycloak.token(demo)).get("/api/me").then().statusCode(200);
        }
        String small = TestData.cohortUndiscussables(pool, "alice", "bob");
        TestData.seatedLongAgo(pool, small);
        Document composer = Pages.page("alice", "/channels/" + small + "/new");
        assertThat(composer.select(".crowd-notice").text()).contains("at least 8 members", "has 2");
        assertThat(composer.select("form.composer")).isEmpty();
    }

    @Test
    void shouldHoldApproveAndBlockThroughThePages() {
        TestData.networkOfAtLeast(pool, 8);
        String channel = TestData.channel(pool, "undiscussables");
        String writer = Keycloak.uniqueUsername("heldwriter");
        Keycloak.createUser(writer, "Held", "Writer");
        String token = Keycloak.newToken(writer);
        long thread = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Held replies here", "body", "x")).post("/api/channels/" + channel + "/threads")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(Keycloak.token("fran")).put("/api/channels/" + channel + "/approval").then().statusCode(204);
        long held = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "Waiting for approval"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");

        assertThat(Pages.page("carmen", "/threads/" + thread).select("[data-post-id=" + held + "]")).isEmpty();
        assertThat(Pages.page(writer, "/threads/" + thread).select("[data-post-id=" + held + "] .held-label").text())
                .contains("Awaiting approval");
        Document review = Pages.page("fran", "/review");
        Element item = review.selectFirst("li.queue-item[data-post-id=" + held + "]");
        assertThat(item.select(".meta").text()).contains("Anonymous · ");
        assertThat(Pages.submit("fran", review, "li.queue-item[data-post-id=" + held + "] form.decision",
                Map.of("action", "approve")).statusCode()).isEqualTo(303);
        assertThat(Pages.page("carmen", "/threads/" + thread).select("[data-post-id=" + held + "]")).isNotEmpty();

        Document threadPage = Pages.page("fran", "/threads/" + thread);
        assertThat(Pages.submit("fran", threadPage, "[data-post-id=" + held + "] form[action$=block-author]", Map.of())
                .statusCode()).isEqualTo(303);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "Again"))
                .post("/api/threads/" + thread + "/posts").then().statusCode(403);
        given().auth().oauth2(Keycloak.token("fran")).delete("/api/channels/" + channel + "/approval").then().statusCode(204);
    }
}
