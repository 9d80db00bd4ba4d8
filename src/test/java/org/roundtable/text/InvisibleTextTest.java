package org.roundtable.text;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Text that hides itself is refused like blank text, and one-line fields refuse control characters, in every feature:
 * thread titles, cohort and channel names, reasons, notes, addresses; names from Keycloak fall back to the username.
 * Each refusal is a 400 naming the field, and nothing is written.
 */
@QuarkusTest
class InvisibleTextTest {

    /** One of each kind the rules call blank-like: format characters, spaces, fillers, blank patterns, lone marks. */
    static final List<String> BLANK_LIKE = List.of(
            "\u200B".repeat(5), // zero-width space
            "\u00A0".repeat(5), // no-break space
            "\u3000".repeat(5), // ideographic space
            "\u2060\uFEFF\u200D\u200C\u2060", // word joiner, BOM, joiners
            "\u202E\u202D\u2066\u2069\u200F", // bidi controls
            "\u3164".repeat(5), // Hangul filler
            "\u115F\u1160\uFFA0\u115F\u1160", // Hangul choseong/jungseong and halfwidth fillers
            "\u2800".repeat(5), // braille blank
            "\u0301\u0308\u20DD\u0301\u0308", // combining marks with no letter
            "\u00A0\u200B\u3164\u2800\u0301"); // all mixed

    /** Control characters and separators a one-line field refuses, each between visible text. */
    static final List<String> BREAKING = List.of("\n", "\r\n", "\r", "\t", "\u0085", "\u2028", "\u2029", "\u0007", "\u001B");

    @Inject
    Pool pool;

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    @org.junit.jupiter.api.BeforeEach
    void members() {
        for (String user : List.of("alice", "bob", "carmen", "fran", "ada")) {
            as(user).get("/api/me").then().statusCode(200);
        }
    }

    long memberId(String username) {
        return count("select id from member where username = $1", username);
    }

    // ---------------------------------------------------------------- titles

    @Test
    void shouldRefuseThreadTitlesMadeOfInvisibleCharactersOrBrokenByControlCharactersThroughTheApi() {
        String channel = TestData.networkChannel(pool);
        for (String title : BLANK_LIKE) {
            as("alice").body(Map.of("title", title, "body", "A body that shows", "tags", List.of()))
                    .post("/api/channels/" + channel + "/threads")
                    .then().statusCode(400).body("errors.title", containsString("none that show"));
        }
        for (String br : BREAKING) {
            as("alice").body(Map.of("title", "Budget" + br + "season questions", "body", "A body", "tags", List.of()))
                    .post("/api/channels/" + channel + "/threads")
                    .then().statusCode(400).body("errors.title", containsString("one line"));
        }
        as("alice").body(Map.of("title", "Hi\r\nReply-To: x@evil\r\nContent-Type: text/html", "body", "A body", "tags",
                List.of())).post("/api/channels/" + channel + "/threads").then().statusCode(400)
                .body("errors.title", containsString("one line"));
        // a body of invisible characters is an empty post, too
        as("alice").body(Map.of("title", "A title that shows", "body", "\u200B\u00A0\u3164", "tags", List.of()))
                .post("/api/channels/" + channel + "/threads").then().statusCode(400).body("errors.body", notNullValue());
        as("alice").body(Map.of("title", "Tagged with nothing", "body", "A body", "tags", List.of("\u200B")))
                .post("/api/channels/" + channel + "/threads").then().statusCode(400).body("errors.tags", notNullValue());
        assertThat(count("select count(*) from thread t join channel c on c.id = t.channel_id where c.slug = $1", channel))
                .isZero();

        // visible text with invisible ends is stored without them
        long id = as("alice").body(Map.of("title", "\u200B\u00A0Budget season\u3000\u200B", "body", "A body", "tags",
                List.of())).post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        as("alice").get("/api/threads/" + id).then().body("title", org.hamcrest.Matchers.equalTo("Budget season"));
    }

    @Test
    void shouldShowTheNewThreadFormAgainWithTheTextKeptWhenTheTitleHidesItselfOrBreaksTheLine() {
        String channel = TestData.networkChannel(pool);
        for (String title : List.of("\u200B".repeat(5), "\u00A0".repeat(5), "Budget\nseason")) {
            Document form = Pages.page("alice", "/channels/" + channel + "/new");
            Response response = Pages.submit("alice", form, "form.composer",
                    Map.of("title", title, "body", "What I wrote, kept", "tags", "budget", "action", "post"));
            assertThat(response.statusCode()).as("title %s", title.codePoints().boxed().toList()).isEqualTo(400);
            Document page = Jsoup.parse(response.asString());
            assertThat(page.select("#title").attr("aria-invalid")).isEqualTo("true");
            assertThat(page.select("#title-error").text()).isNotBlank();
            assertThat(page.select("#body").val()).isEqualTo("What I wrote, kept");
            assertThat(page.select("#tags").val()).isEqualTo("budget");
            // the typed title comes back as typed (a line break cannot live in a one-line input: it shows as a space)
            assertThat(page.select("#title").val().replace('\n', ' ')).isEqualTo(title.replace('\n', ' '));
        }
        assertThat(count("select count(*) from thread t join channel c on c.id = t.channel_id where c.slug = $1", channel))
                .isZero();
    }

    // ---------------------------------------------------------------- cohorts and channels

    @Test
    void shouldRefuseCohortAndChannelNamesThatHideThemselvesOrBreakTheLine() {
        for (String name : BLANK_LIKE) {
            String slug = "inv-" + UUID.randomUUID().toString().substring(0, 8);
            as("ada").body(Map.of("slug", slug, "name", name)).post("/api/cohorts")
                    .then().statusCode(400).body("errors.name", notNullValue());
            assertThat(count("select count(*) from cohort where slug = $1", slug)).isZero();
        }
        for (String br : BREAKING) {
            String slug = "inv-" + UUID.randomUUID().toString().substring(0, 8);
            as("ada").body(Map.of("slug", slug, "name", "Cohort" + br + "Bcc: x@evil")).post("/api/cohorts")
                    .then().statusCode(400).body("errors.name", containsString("one line"));
            as("ada").body(Map.of("slug", slug, "name", "A cohort", "keycloakGroup", "group" + br + "x")).post("/api/cohorts")
                    .then().statusCode(400).body("errors.keycloakGroup", containsString("one line"));
            assertThat(count("select count(*) from cohort where slug = $1", slug)).isZero();
        }
        String cohort = TestData.cohort(pool, "fran");
        as("ada").body(Map.of("name", "\u3164\u3164\u3164")).patch("/api/cohorts/" + cohort)
                .then().statusCode(400).body("errors.name", notNullValue());
        as("ada").body(Map.of("name", "Renamed\ncohort")).patch("/api/cohorts/" + cohort)
                .then().statusCode(400).body("errors.name", containsString("one line"));
        assertThat(count("select count(*) from cohort where slug = $1 and name = $2", cohort, "Cohort " + cohort)).isOne();

        for (String name : List.of("\u200B".repeat(5), "\u2800".repeat(5), "Channel\r\nname", "Channel\u2028name")) {
            String slug = "inv-" + UUID.randomUUID().toString().substring(0, 8);
            as("fran").body(Map.of("slug", slug, "name", name)).post("/api/cohorts/" + cohort + "/channels")
                    .then().statusCode(400).body("errors.name", notNullValue());
            assertThat(count("select count(*) from channel where slug = $1", slug)).isZero();
        }
        as("fran").body(Map.of("slug", "inv-" + UUID.randomUUID().toString().substring(0, 8), "name", "Fine name",
                "description", "one\nline")).post("/api/cohorts/" + cohort + "/channels")
                .then().statusCode(400).body("errors.description", containsString("one line"));
        as("fran").body(Map.of("email", "someone@example.org\u0085")).post("/api/cohorts/" + cohort + "/invitations")
                .then().statusCode(400).body("errors.email", notNullValue());
    }

    // ---------------------------------------------------------------- reasons and notes

    @Test
    void shouldRefuseReasonsThatHideThemselvesOrBreakTheLineForSuspensionSilenceReviewAndHiding() {
        String suspendee = TestData.memberRow(pool, "inv-susp");
        long id = memberId(suspendee);
        for (String reason : BLANK_LIKE) {
            as("ada").body(Map.of("reason", reason)).put("/api/members/" + id + "/suspension")
                    .then().statusCode(400).body("errors.reason", notNullValue());
        }
        for (String br : BREAKING) {
            as("ada").body(Map.of("reason", "Spam" + br + "spam")).put("/api/members/" + id + "/suspension")
                    .then().statusCode(400).body("errors.reason", containsString("one line"));
        }
        assertThat(count("select count(*) from member where id = $1 and suspended_until is not null", id)).isZero();

        String silenced = TestData.memberRow(pool, "inv-sil");
        String cohort = TestData.cohort(pool, "fran", silenced);
        long silencedId = memberId(silenced);
        for (String reason : List.of("\u200B\u200B", "\u3164", "Too\nloud")) {
            as("fran").body(Map.of("cohort", cohort, "reason", reason)).put("/api/members/" + silencedId + "/silence")
                    .then().statusCode(400).body("errors.reason", notNullValue());
        }
        assertThat(count("select count(*) from cohort_silence where member_id = $1", silencedId)).isZero();

        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "A thread with a post to moderate", "Opening");
        long post = TestData.reply("bob", thread, null, "A reply a facilitator looks at");
        for (String reason : List.of("\u200B".repeat(3), "\u00A0".repeat(3))) {
            as("fran").body(Map.of("action", "hide", "reason", reason)).post("/api/review-queue/" + post + "/decision")
                    .then().statusCode(400).body("errors.reason", notNullValue());
        }
        as("fran").body(Map.of("action", "hide", "reason", "Off\r\ntopic")).post("/api/review-queue/" + post + "/decision")
                .then().statusCode(400).body("errors.reason", containsString("one line"));
        as("fran").body(Map.of("reason", "Hidden\nby me")).put("/api/posts/" + post + "/hidden")
                .then().statusCode(400).body("errors.reason", containsString("one line"));
        assertThat(count("select count(*) from post where id = $1 and hidden_at is not null", post)).isZero();
        assertThat(count("select count(*) from audit_entry where target_type = 'post' and target_id = $1", String.valueOf(post)))
                .isZero();

        // a flag's note is several lines at most, and says something
        as("carmen").body(Map.of("reason", "other", "text", "\u200B\u00A0\u3164")).post("/api/posts/" + post + "/flags")
                .then().statusCode(400).body("errors.text", notNullValue());
        as("carmen").body(Map.of("reason", "other", "text", "bell\u0007")).post("/api/posts/" + post + "/flags")
                .then().statusCode(400).body("errors.text", notNullValue());
        assertThat(count("select count(*) from flag where post_id = $1", post)).isZero();
        as("carmen").body(Map.of("reason", "other", "text", "Names a colleague.\nAnd their school.")).post("/api/posts/" + post + "/flags")
                .then().statusCode(201);
    }

    @Test
    void shouldShowTheSilenceFormAgainWithTheReasonKeptWhenItBreaksTheLine() {
        String silenced = TestData.memberRow(pool, "inv-silp");
        String cohort = TestData.cohort(pool, "fran", silenced);
        Document profile = Pages.page("fran", "/members/" + silenced);
        Response response = Pages.submit("fran", profile, ".silence[data-cohort=" + cohort + "] form.silence-form",
                Map.of("reason", "Too\u2028loud"));
        assertThat(response.statusCode()).isEqualTo(400);
        Document page = Jsoup.parse(response.asString());
        assertThat(page.select("#reason-" + cohort).attr("aria-invalid")).isEqualTo("true");
        assertThat(page.select("#reason-" + cohort + "-error").text()).contains("one line");
        assertThat(page.select("#reason-" + cohort).val()).isEqualTo("Too\u2028loud");
    }

    // ---------------------------------------------------------------- names from Keycloak

    @Test
    void shouldShowTheUsernameForADisplayNameWithNothingVisibleInIt() {
        Map<String, String[]> names = new HashMap<>();
        names.put("inv-zw", new String[] { "\u200B\u200B\u200B\u200B\u200B", "\u200B" });
        names.put("inv-nb", new String[] { "\u00A0\u00A0\u00A0", "\u00A0\u00A0" });
        names.put("inv-hf", new String[] { "\u3164\u3164", "\u2800" });
        for (Map.Entry<String, String[]> entry : names.entrySet()) {
            String username = Keycloak.uniqueUsername(entry.getKey());
            Keycloak.createUser(username, entry.getValue()[0], entry.getValue()[1]);
            given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200)
                    .body("name", org.hamcrest.Matchers.equalTo(username));
            assertThat(count("select count(*) from member where username = $1 and name = $1", username)).isOne();
            Document page = Pages.page("alice", "/members/" + username);
            assertThat(page.select("h1").text()).isEqualTo(username);
        }
        // (Keycloak itself refuses control characters in names; a token that carried one anyway is made one line:
        // TextRulesTest#shouldShowTheUsernameWhenADisplayNameHasNothingVisible)
    }
}
