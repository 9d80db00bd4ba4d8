package org.roundtable.cohort;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/** The cohort pages, the member directory and the home page, as members see them after a real login. */
@QuarkusTest
class CohortPagesTest {

    @Inject
    Pool pool;

    @Inject
    org.roundtable.security.SignedTokens tokens;

    static String facilitator;
    static String member;
    static String outsider;

    String cohort;
    String title;
    long thread;

    @BeforeEach
    void people() {
        if (facilitator == null) {
            facilitator = TestData.member("pfac");
            member = TestData.member("pmem");
            outsider = TestData.member("pout");
            pool.preparedQuery("update member set title = 'Principal', school = 'Lincoln Elementary', district = 'Riverside USD' where username = $1")
                    .execute(Tuple.of(member)).await().indefinitely();
        }
        cohort = TestData.cohort(pool, facilitator, member);
        title = "Session notes of " + cohort;
        thread = TestData.thread(member, cohort, title, "What we said.");
    }

    static RequestSpecification page(String user) {
        return given().redirects().follow(false).cookies(Sessions.cookies(user));
    }

    static Document html(Response response) {
        return Jsoup.parse(response.asString());
    }

    /** Posts a form of the page as the user, with the page's CSRF token. */
    static Response submit(String user, String path, Map<String, String> fields) {
        Map<String, String> cookies = new java.util.HashMap<>(Sessions.cookies(user));
        RequestSpecification spec = given().redirects().follow(false).cookies(cookies)
                .contentType(ContentType.URLENC).formParam("csrf-token", org.roundtable.support.Pages.csrfToken(cookies));
        fields.forEach(spec::formParam);
        return spec.post(path);
    }

    @Test
    void shouldShowTheCohortPageToItsMembers() {
        Document page = html(page(member).get("/cohorts/" + cohort).then().statusCode(200).extract().response());
        assertThat(page.select("h1").text()).contains("Cohort " + cohort);
        assertThat(page.select(".description").text()).isEqualTo("The cohort of a test");
        assertThat(page.select(".channels .channel-list li").eachAttr("data-slug")).containsExactly(cohort);
        assertThat(page.select(".recent .thread-list li a").text()).contains(title);
        assertThat(page.select(".facilitators li").eachAttr("data-username")).containsExactly(facilitator);
        assertThat(page.select(".members li[data-username=" + member + "] .meta").text())
                .isEqualTo("Principal, Lincoln Elementary (Riverside USD)");
        // A member neither invites nor administers; they may leave.
        assertThat(page.select("form.invite")).isEmpty();
        assertThat(page.select("form.edit-cohort")).isEmpty();
        assertThat(page.select("form.leave")).hasSize(1);
        assertThat(page.select("header nav a.nav-cohorts").attr("href")).isEqualTo("/cohorts");
    }

    @Test
    void shouldAnswerAnOutsiderWithTheSameNotFoundPageAsForNoCohort() {
        Response hidden = page(outsider).get("/cohorts/" + cohort);
        Response missing = page(outsider).get("/cohorts/no-such-cohort-anywhere");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(html(hidden).select("main").text().replace(cohort, "X"))
                .isEqualTo(html(missing).select("main").text().replace("no-such-cohort-anywhere", "X"));
        assertThat(hidden.asString()).doesNotContain(title).doesNotContain(member);
    }

    @Test
    void shouldListMyCohortsAndRecentActivityOnTheHomePage() {
        Document mine = html(page(member).get("/cohorts").then().statusCode(200).extract().response());
        assertThat(mine.select(".cohort-list li").eachAttr("data-slug")).contains(cohort);
        Document theirs = html(page(outsider).get("/cohorts").then().statusCode(200).extract().response());
        assertThat(theirs.select("li[data-slug=" + cohort + "]")).isEmpty();

        Document home = html(page(member).get("/").then().statusCode(200).extract().response());
        assertThat(home.select(".recent-activity li").eachAttr("data-thread")).contains(String.valueOf(thread));
        assertThat(home.select(".home-cohorts li").eachAttr("data-slug")).contains(cohort);
        Document outsiderHome = html(page(outsider).get("/").then().statusCode(200).extract().response());
        assertThat(outsiderHome.select(".recent-activity li").eachAttr("data-thread")).doesNotContain(String.valueOf(thread));
        assertThat(outsiderHome.text()).doesNotContain(title);
    }

    @Test
    void shouldShowInTheDirectoryOnlyWhatTheViewerShares() {
        Document seenByFacilitator = html(page(facilitator).get("/members/" + member).then().statusCode(200).extract().response());
        assertThat(seenByFacilitator.select(".shared-cohorts li").eachAttr("data-slug")).contains(cohort);
        assertThat(seenByFacilitator.select(".recent-threads li").eachAttr("data-thread-id")).contains(String.valueOf(thread));
        assertThat(seenByFacilitator.select(".role-line").text()).isEqualTo("Principal, Lincoln Elementary (Riverside USD)");

        Response seenByOutsider = page(outsider).get("/members/" + member).then().statusCode(200).extract().response();
        Document outsiderView = html(seenByOutsider);
        assertThat(outsiderView.select(".shared-cohorts li")).isEmpty();
        assertThat(outsiderView.select(".recent-threads li")).isEmpty();
        assertThat(seenByOutsider.asString()).doesNotContain(cohort).doesNotContain(title);

        Document list = html(page(outsider).get("/members?q=" + member).then().statusCode(200).extract().response());
        assertThat(list.select(".directory li").eachAttr("data-username")).containsExactly(member);
        page(outsider).get("/members/nobody-" + cohort).then().statusCode(404);
    }

    @Test
    void shouldLetAFacilitatorInviteThroughTheFormAndShowTheLinkToCopy() {
        // The invitee is a member of their own: whoever joins shares the cohort with the others of this class.
        String invitee = TestData.member("pinv");
        Response invited = submit(facilitator, "/cohorts/" + cohort + "/invitations", Map.of("email", "", "username", invitee));
        assertThat(invited.statusCode()).isEqualTo(303);
        String location = invited.header("Location");
        assertThat(location).contains("/cohorts/" + cohort + "?invited=");

        // What a browser asks for: the address without its fragment.
        String target = location.substring(location.indexOf("/cohorts/")).replaceFirst("#.*$", "");
        Document page = html(page(facilitator).get(target)
                .then().statusCode(200).extract().response());
        String link = page.select(".invitation-list li.just-made input.invitation-link").attr("value");
        assertThat(link).contains("/cohorts/" + cohort + "/join?token=");
        String path = link.substring(link.indexOf("/cohorts/"));

        // The invitee opens the link: a page that says what they join, and a button (a GET joins nothing).
        Document join = html(page(invitee).get(path).then().statusCode(200).extract().response());
        assertThat(join.select("h1").text()).isEqualTo("Join Cohort " + cohort);
        page(invitee).get("/cohorts/" + cohort).then().statusCode(404);
        String token = join.select("form input[name=token]").attr("value");
        Response joined = submit(invitee, "/cohorts/" + cohort + "/join", Map.of("token", token));
        assertThat(joined.statusCode()).isEqualTo(303);
        assertThat(joined.header("Location")).endsWith("/cohorts/" + cohort);
        page(invitee).get("/cohorts/" + cohort).then().statusCode(200);

        // Someone else with the same link: a clear page, and nothing changes.
        String other = TestData.member("pother");
        Response reused = submit(other, "/cohorts/" + cohort + "/join", Map.of("token", token));
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(html(reused).select("h1").text()).isEqualTo("This invitation has already been used");
        page(other).get("/cohorts/" + cohort).then().statusCode(404);
    }

    @Test
    void shouldShowAClearPageForABrokenInvitationLink() {
        Response broken = page(outsider).get("/cohorts/" + cohort + "/join?token=eyJhbGciOiJIUzI1NiJ9.e30.broken");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.contentType()).startsWith("text/html");
        Document page = html(broken);
        assertThat(page.select("h1").text()).isEqualTo("This invitation link is not valid");
        assertThat(page.select(".detail").text()).contains("facilitator");
        assertThat(broken.asString()).doesNotContain("Cohort " + cohort);
    }

    @Test
    void shouldShowAClearPageForEachRefusedLinkAndChangeNothing() {
        String admin = TestData.member("padm", "admin");
        String link = given().auth().oauth2(Keycloak.token(admin)).contentType(ContentType.JSON).body(Map.of())
                .post("/api/cohorts/" + cohort + "/invitations").then().statusCode(201).extract().jsonPath().getString("link");
        String token = java.net.URLDecoder.decode(link.substring(link.indexOf("token=") + 6), java.nio.charset.StandardCharsets.UTF_8);
        var claims = new io.restassured.path.json.JsonPath(new String(java.util.Base64.getUrlDecoder()
                .decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> sameCohort = Map.of("cohort", claims.getLong("cohort"));
        java.time.Instant now = java.time.Instant.now();
        String expired = tokens.sign("cohort-invite", claims.getString("jti"), now.minusSeconds(20 * 86400),
                now.minusSeconds(86400), sameCohort);
        String otherPurpose = tokens.sign("digest-unsubscribe", claims.getString("jti"), now, now.plusSeconds(3600), sameCohort);
        String otherCohort = TestData.cohort(pool, facilitator);
        String stranger = TestData.member("pstr");

        record Case(String path, int status, String title) {
        }
        java.util.List<Case> cases = java.util.List.of(
                new Case("/cohorts/" + cohort + "/join?token=" + expired, 410, "This invitation has expired"),
                new Case("/cohorts/" + cohort + "/join?token=" + otherPurpose, 400, "This link is not a cohort invitation"),
                new Case("/cohorts/" + otherCohort + "/join?token=" + token, 400, "This invitation is for another cohort"),
                new Case("/cohorts/" + cohort + "/join?token=" + token.substring(0, token.length() - 2), 400,
                        "This invitation link is not valid"));
        for (Case c : cases) {
            Response refused = page(stranger).get(c.path());
            assertThat(refused.statusCode()).as(c.title()).isEqualTo(c.status());
            assertThat(refused.contentType()).startsWith("text/html");
            assertThat(html(refused).select("h1").text()).isEqualTo(c.title());
            assertThat(html(refused).select(".detail").text()).isNotBlank();
        }
        // Used once, then refused to the next person, who stays outside.
        // (a member of their own: whoever joins shares the cohort with the others of this class)
        assertThat(submit(TestData.member("pjoin"), "/cohorts/" + cohort + "/join", Map.of("token", token)).statusCode())
                .isEqualTo(303);
        Response reused = page(stranger).get("/cohorts/" + cohort + "/join?token=" + token);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(html(reused).select("h1").text()).isEqualTo("This invitation has already been used");
        page(stranger).get("/cohorts/" + cohort).then().statusCode(404);
        page(stranger).get("/cohorts/" + otherCohort).then().statusCode(404);
    }

    @Test
    void shouldLetAMemberLeaveThroughTheForm() {
        String leaver = TestData.member("pleave");
        TestData.addToCohort(pool, cohort, "member", leaver);
        Response left = submit(leaver, "/cohorts/" + cohort + "/leave", Map.of());
        assertThat(left.statusCode()).isEqualTo(303);
        page(leaver).get("/cohorts/" + cohort).then().statusCode(404);
    }

    @Test
    void shouldSayWhenMembershipIsManagedByTheIdentityProvider() {
        pool.preparedQuery("update cohort set keycloak_group = $2 where slug = $1")
                .execute(Tuple.of(cohort, Keycloak.uniqueUsername("group"))).await().indefinitely();
        Document asFacilitator = html(page(facilitator).get("/cohorts/" + cohort).then().statusCode(200).extract().response());
        assertThat(asFacilitator.select(".managed-notice").text()).contains("managed by the identity provider")
                .contains("Invitations are off");
        assertThat(asFacilitator.select("form.invite")).isEmpty();
    }
}
