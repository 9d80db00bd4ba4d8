package org.roundtable.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Issue 13, section 2: every page form takes what the API takes (a post body of 50,000 characters, accented and CJK
 * text, which is 2 to 3 bytes a character in UTF-8 and up to 9 characters on the wire), and a refusal shows the form
 * again with the text kept and a message a person can act on. Forms are read from the pages and sent as a browser
 * sends them (Pages: CSRF token included).
 */
@QuarkusTest
class FormInputTest {

    /** Accented Latin, Japanese and Korean: every character but the spaces is 2 or 3 bytes of UTF-8. */
    private static final String UNIT = "Schulleitung café naïve déjà-vu Ökonomie 学校の校長と教頭 교장 선생님 ";

    @Inject
    Pool pool;

    /** Exactly {@code n} characters of mixed accented and CJK prose (all in the BMP: no pair is cut). */
    static String prose(int n) {
        return UNIT.repeat(n / UNIT.length() + 1).substring(0, n - 1) + "。";
    }

    // ---------------------------------------------------------------- what the API takes, the forms take

    @Test
    void shouldTakeAReplyOfTheFullFiftyThousandAccentedAndCjkCharactersThroughThePageForm() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Long answers welcome", "Write at length.");
        String body = prose(50_000);
        Document page = Pages.page("bob", "/threads/" + thread);
        Response posted = Pages.submit("bob", page, ".reply-box form.composer", Map.of("body", body, "action", "post"));
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(source("select source from post where thread_id = $1 and number = 2", thread)).isEqualTo(body);
    }

    @Test
    void shouldTakeLongTextInTheNewThreadEditAndPreviewForms() {
        String channel = TestData.networkChannel(pool);
        String body = prose(50_000);
        Document composer = Pages.page("alice", "/channels/" + channel + "/new");
        Response preview = Pages.submit("alice", composer, "form.composer",
                Map.of("title", "Une question de café", "body", body, "action", "preview"));
        assertThat(preview.statusCode()).isEqualTo(200);
        Document previewed = Jsoup.parse(preview.asString());
        assertThat(previewed.selectFirst("textarea#body").val()).isEqualTo(body);
        assertThat(previewed.select(".preview .body").text()).contains("学校の校長と教頭");

        Response created = Pages.submit("alice", previewed, "form.composer", Map.of("action", "post"));
        assertThat(created.statusCode()).isEqualTo(303);
        long thread = Long.parseLong(created.header("Location").replaceAll(".*/threads/(\\d+).*", "$1"));
        assertThat(source("select source from post where thread_id = $1 and number = 1", thread)).isEqualTo(body);

        long post = id("select id from post where thread_id = $1 and number = 1", thread);
        String edited = prose(49_999) + "!";
        Response saved = Pages.submit("alice", Pages.page("alice", "/posts/" + post + "/edit"), "form.composer",
                Map.of("body", edited, "action", "save"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(source("select source from post where id = $1", post)).isEqualTo(edited);
    }

    @Test
    void shouldTakeLongReasonsDescriptionsAndFlagTextsThroughTheirForms() {
        String admin = TestData.member("fi-admin", "admin");
        String facilitator = TestData.member("fi-fac");
        String member = TestData.member("fi-mem");
        String cohort = TestData.cohort(pool, facilitator, member);

        // A cohort's description: its 2,000 characters, created and changed through the forms.
        String description = prose(2_000);
        String slug = "fi-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Response created = Pages.submit(admin, Pages.page(admin, "/cohorts"), "form.create-cohort",
                Map.of("name", "Écoles du café", "slug", slug, "description", description));
        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(source("select description from cohort where slug = $1", slug)).isEqualTo(description);
        String changed = prose(1_999) + "!";
        Response updated = Pages.submit(admin, Pages.page(admin, "/cohorts/" + slug), "form.edit-cohort",
                Map.of("description", changed));
        assertThat(updated.statusCode()).isEqualTo(303);
        assertThat(source("select description from cohort where slug = $1", slug)).isEqualTo(changed);

        // A channel's description: its 500 characters.
        String channelDescription = prose(500);
        String channelSlug = slug + "-talk";
        Response channel = Pages.submit(facilitator, Pages.page(facilitator, "/cohorts/" + cohort), "form.create-channel",
                Map.of("name", "Café", "channelSlug", channelSlug, "description", channelDescription));
        assertThat(channel.statusCode()).isEqualTo(303);
        assertThat(source("select description from channel where slug = $1", channelSlug)).isEqualTo(channelDescription);

        // A flag's text: its 1,000 characters.
        long thread = TestData.thread(member, cohort, "Une question du personnel", "Texte.");
        long post = TestData.reply(member, thread, null, "Une réponse.");
        String flagText = prose(1_000);
        Response flagged = Pages.submit(facilitator, Pages.page(facilitator, "/posts/" + post + "/flag"),
                "form[action='/posts/" + post + "/flag']", Map.of("reason", "other", "text", flagText));
        assertThat(flagged.statusCode()).isEqualTo(303);
        assertThat(source("select text from flag where post_id = $1", post)).isEqualTo(flagText);

        // A review decision's reason, a silence's and a suspension's: long, accented reasons.
        String reason = prose(3_000);
        Document review = Pages.page(facilitator, "/review");
        Response decided = Pages.submit(facilitator, review, "li.queue-item[data-post-id=" + post + "] form.decision",
                Map.of("action", "hide", "reason", reason));
        assertThat(decided.statusCode()).isEqualTo(303);
        assertThat(source("select hidden_reason from post where id = $1", post)).isEqualTo(reason);

        Response silenced = Pages.submit(facilitator, Pages.page(facilitator, "/members/" + member),
                ".silence[data-cohort=" + cohort + "] form.silence-form", Map.of("reason", reason));
        assertThat(silenced.statusCode()).isEqualTo(303);
        assertThat(source("select s.reason from cohort_silence s join member m on m.id = s.member_id where m.username = $1",
                member)).isEqualTo(reason);

        Response suspended = Pages.submit(admin, Pages.page(admin, "/members/" + member), "form.suspension-form",
                Map.of("reason", reason));
        assertThat(suspended.statusCode()).isEqualTo(303);
        assertThat(source("select suspension_reason from member where username = $1", member)).isEqualTo(reason);
    }

    // ---------------------------------------------------------------- refused: the form again, the text kept

    @Test
    void shouldShowTheComposersAgainWithTheTextKeptWhenTheTextIsOverTheLimit() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Too long answers", "Keep it short.");
        String tooLong = prose(50_001);

        Response reply = Pages.submit("bob", Pages.page("bob", "/threads/" + thread), ".reply-box form.composer",
                Map.of("body", tooLong, "action", "post"));
        assertKeptWithMessage(reply, 400, "textarea#body", tooLong, "#body-error", "at most 50000 characters");
        assertThat(id("select count(*) as id from post where thread_id = $1", thread)).isEqualTo(1);

        Response preview = Pages.submit("bob", Pages.page("bob", "/threads/" + thread), ".reply-box form.composer",
                Map.of("body", tooLong, "action", "preview"));
        assertKeptWithMessage(preview, 400, "textarea#body", tooLong, "#body-error", "at most 50000 characters");

        long post = id("select id from post where thread_id = $1 and number = 1", thread);
        Response edit = Pages.submit("alice", Pages.page("alice", "/posts/" + post + "/edit"), "form.composer",
                Map.of("body", tooLong, "action", "save"));
        assertKeptWithMessage(edit, 400, "textarea#body", tooLong, "#body-error", "at most 50000 characters");
        assertThat(source("select source from post where id = $1", post)).isEqualTo("Keep it short.");

        String channel = TestData.networkChannel(pool);
        Response newThread = Pages.submit("alice", Pages.page("alice", "/channels/" + channel + "/new"), "form.composer",
                Map.of("title", "Trop long", "body", tooLong, "action", "post"));
        assertKeptWithMessage(newThread, 400, "textarea#body", tooLong, "#body-error", "at most 50000 characters");
        assertThat(Jsoup.parse(newThread.asString()).selectFirst("input#title").val()).isEqualTo("Trop long");
    }

    @Test
    void shouldShowTheCohortFormsAgainWithWhatWasTypedWhenRefused() {
        String admin = TestData.member("fi-admin", "admin");
        String facilitator = TestData.member("fi-fac");
        String cohort = TestData.cohort(pool, facilitator);
        String description = prose(2_001);

        Response create = Pages.submit(admin, Pages.page(admin, "/cohorts"), "form.create-cohort",
                Map.of("name", "Écoles", "slug", "Not A Slug", "description", description));
        assertKeptWithMessage(create, 400, "textarea#cohort-description", description, "#cohort-description-error",
                "under 2000 characters");
        Document again = Jsoup.parse(create.asString());
        assertThat(again.selectFirst("input#cohort-slug").val()).isEqualTo("Not A Slug");
        assertThat(again.selectFirst("input#cohort-slug").attr("aria-invalid")).isEqualTo("true");
        assertThat(again.selectFirst("input#cohort-name").val()).isEqualTo("Écoles");
        assertThat(again.select(".form-errors[role=alert]").text()).contains("lower-case letters");

        Response update = Pages.submit(admin, Pages.page(admin, "/cohorts/" + cohort), "form.edit-cohort",
                Map.of("name", " ", "description", description));
        assertKeptWithMessage(update, 400, "textarea#edit-description", description, "#edit-description-error",
                "under 2000 characters");
        assertThat(Jsoup.parse(update.asString()).selectFirst("input#edit-name").attr("aria-invalid")).isEqualTo("true");
        assertThat(source("select description from cohort where slug = $1", cohort)).isEqualTo("The cohort of a test");

        String channelDescription = prose(501);
        Response channel = Pages.submit(facilitator, Pages.page(facilitator, "/cohorts/" + cohort), "form.create-channel",
                Map.of("name", "Café", "channelSlug", "Bad Slug", "description", channelDescription));
        assertThat(channel.statusCode()).isEqualTo(400);
        Document channelAgain = Jsoup.parse(channel.asString());
        assertThat(channelAgain.selectFirst("input#channel-description").val()).isEqualTo(channelDescription);
        assertThat(channelAgain.selectFirst("input#channel-slug").val()).isEqualTo("Bad Slug");
        assertThat(channelAgain.selectFirst("input#channel-slug").attr("aria-invalid")).isEqualTo("true");
        assertThat(channelAgain.selectFirst("details:has(form.create-channel)").hasAttr("open")).isTrue();

        Response invite = Pages.submit(facilitator, Pages.page(facilitator, "/cohorts/" + cohort), "form.invite",
                Map.of("email", "Alice <alice@example.org>"));
        assertThat(invite.statusCode()).isEqualTo(400);
        Document inviteAgain = Jsoup.parse(invite.asString());
        assertThat(inviteAgain.selectFirst("input#invite-email").val()).isEqualTo("Alice <alice@example.org>");
        assertThat(inviteAgain.selectFirst("#invite-email-error").text()).contains("name@example.org");
        assertThat(id("select count(*) as id from cohort_invitation i join cohort c on c.id = i.cohort_id where c.slug = $1",
                cohort)).isZero();
    }

    @Test
    void shouldShowTheModerationFormsAgainWithWhatWasTypedWhenRefused() {
        String admin = TestData.member("fi-admin", "admin");
        String facilitator = TestData.member("fi-fac");
        String member = TestData.member("fi-mem");
        String cohort = TestData.cohort(pool, facilitator, member);
        long thread = TestData.thread(member, cohort, "Une question du personnel", "Texte.");
        long post = TestData.reply(member, thread, null, "Une réponse.");

        String flagText = prose(1_001);
        Response flag = Pages.submit(facilitator, Pages.page(facilitator, "/posts/" + post + "/flag"),
                "form[action='/posts/" + post + "/flag']", Map.of("reason", "other", "text", flagText));
        assertKeptWithMessage(flag, 400, "textarea#text", flagText, "#text-error", "At most 1000 characters");

        given().auth().oauth2(Keycloak.token(admin)).contentType(ContentType.JSON).body(Map.of("reason", "spam"))
                .post("/api/posts/" + post + "/flags").then().statusCode(201);
        String body = prose(3_000);
        Response decision = Pages.submit(facilitator, Pages.page(facilitator, "/review"),
                "li.queue-item[data-post-id=" + post + "] form.decision", Map.of("action", "delete", "reason", " ", "body", body));
        assertThat(decision.statusCode()).isEqualTo(400);
        Document review = Jsoup.parse(decision.asString());
        var item = review.selectFirst("li.queue-item[data-post-id=" + post + "]");
        assertThat(item.selectFirst("select[name=action] option[selected]").val()).isEqualTo("delete");
        assertThat(item.selectFirst("textarea[name=body]").val()).isEqualTo(body);
        assertThat(item.selectFirst("input[name=reason]").attr("aria-invalid")).isEqualTo("true");
        assertThat(review.select(".form-errors[role=alert]").text()).contains("Give a reason");
        assertThat(source("select deleted_at::text as source from post where id = $1", post)).isNull();

        String reason = prose(3_000);
        Response suspension = Pages.submit(admin, Pages.page(admin, "/members/" + member), "form.suspension-form",
                Map.of("until", "next week", "reason", reason));
        assertThat(suspension.statusCode()).isEqualTo(400);
        Document profile = Jsoup.parse(suspension.asString());
        assertThat(profile.selectFirst("input#suspension-reason").val()).isEqualTo(reason);
        assertThat(profile.selectFirst("input#until").val()).isEqualTo("next week");
        assertThat(profile.selectFirst("input#until").attr("aria-invalid")).isEqualTo("true");
        assertThat(source("select suspension_reason from member where username = $1", member)).isNull();

        Response audit = Pages.get(admin, "/audit?actor=" + facilitator + "&from=yesterday");
        assertThat(audit.statusCode()).isEqualTo(400);
        Document filter = Jsoup.parse(audit.asString());
        assertThat(filter.selectFirst("input#actor").val()).isEqualTo(facilitator);
        assertThat(filter.selectFirst("input#from").val()).isEqualTo("yesterday");
        assertThat(filter.selectFirst("input#from").attr("aria-invalid")).isEqualTo("true");
        assertThat(filter.select("#from-error").text()).contains("2026-11-23");
    }

    @Test
    void shouldShowThePreferencesAgainWithTheMessageWhenRefused() {
        String member = TestData.member("fi-mem");
        Response refused = Pages.submit(member, Pages.page(member, "/preferences"), "form.preferences",
                Map.of("frequency", "daily", "hour", "9", "timeZone", "Mars/Olympus_Mons"));
        assertThat(refused.statusCode()).isEqualTo(400);
        Document again = Jsoup.parse(refused.asString());
        assertThat(again.select(".form-errors[role=alert]").text()).contains("Mars/Olympus_Mons", "time zone");
        assertThat(again.selectFirst("input[name=frequency][value=daily]").hasAttr("checked")).isTrue();
        assertThat(again.selectFirst("select#hour option[selected]").val()).isEqualTo("9");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertKeptWithMessage(Response response, int status, String field, String text,
            String errorSelector, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("text/html");
        Document again = Jsoup.parse(response.asString());
        assertThat(again.selectFirst(field)).as(field).isNotNull();
        assertThat(again.selectFirst(field).val()).as("the text kept in " + field).isEqualTo(text);
        assertThat(again.selectFirst(field).attr("aria-invalid")).isEqualTo("true");
        assertThat(again.select(errorSelector).text()).contains(message);
    }

    /**
     * The thread page's "Hide" form of a facilitator takes a reason; refused (a tab, pasted in: a reason is one line),
     * the form comes again with the reason as typed, marked, and the post is not hidden. It answered with the error
     * page, the reason lost (issue 20: every page form keeps its input).
     */
    @Test
    void shouldShowTheHideFormAgainWithTheReasonKeptWhenTheReasonIsRefused() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "A post to hide", "Opening words.");
        String reason = "Off topic\tsee the guidelines";
        Document page = Pages.page("fran", "/threads/" + thread);
        Response refused = Pages.submit("fran", page, "form.moderate[action$=\"/hide\"]", Map.of("reason", reason));
        assertKeptWithMessage(refused, 400, "form.hide input[name=reason]", reason, ".form-errors", "must be one line");
        assertThat(source("select hidden_at::text from post where thread_id = $1 and number = 1", thread)).isNull();
    }

    private String source(String sql, Object param) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely();
        Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
        return row == null ? null : row.getString(0);
    }

    private long id(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong("id");
    }
}
