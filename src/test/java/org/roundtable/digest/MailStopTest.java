package org.roundtable.digest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.security.SignedLinks;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * People who receive mail can stop it: mention mails carry a signed one-click unsubscribe of their own (RFC 8058) that
 * turns mention mails off and nothing else; suspended members get no mention mails and no digests; and a suspended
 * member can still choose which mails they get, on the page and through the API.
 */
@QuarkusTest
class MailStopTest {

    final String BASE_URL = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("roundtable.base-url", String.class);

    @Mailbox.Inject
    GreenMail greenMail;

    @Inject
    Pool pool;

    @Inject
    MentionMails mentionMails;

    @Inject
    DigestService digests;

    @Inject
    SignedLinks links;

    record Member(String username, long id, String email) {
    }

    static Member member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, "Sam", "Reader");
        long id = as(username).get("/api/me").then().statusCode(200).extract().jsonPath().getLong("id");
        return new Member(username, id, username + "@test.roundtable.test");
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    void sendMentions() {
        mentionMails.send(Clock.fixed(Instant.now().plus(1, ChronoUnit.MINUTES), ZoneOffset.UTC))
                .await().atMost(Duration.ofMinutes(1));
    }

    List<MimeMessage> mails(Member member) {
        return Mailbox.to(greenMail, member.email());
    }

    void mention(String writer, Member whom, String channel) {
        long thread = TestData.thread(writer, channel, "Scheduling observations", "How do you plan them?");
        TestData.reply(writer, thread, null, "@" + whom.username() + " you did this last year?");
    }

    void suspend(Member member) {
        as("ada").body(Map.of("reason", "A pause")).put("/api/members/" + member.id() + "/suspension")
                .then().statusCode(204);
    }

    // ---------------------------------------------------------------- one-click unsubscribe from mention mails

    @Test
    void shouldGiveMentionMailsAOneClickUnsubscribeOfTheirOwnThatTurnsOnlyMentionMailsOff() throws Exception {
        Member reader = member("stop-reader");
        String channel = TestData.networkChannel(pool);
        as(reader.username()).body(Map.of("digest", "daily", "hour", 7, "weekday", 1, "timeZone", "UTC"))
                .put("/api/preferences").then().statusCode(200);
        mention("alice", reader, channel);
        sendMentions();

        List<MimeMessage> received = mails(reader);
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        String header = mail.getHeader("List-Unsubscribe")[0];
        assertThat(header).startsWith("<" + BASE_URL + "/mentions/unsubscribe?token=").endsWith(">");
        assertThat(mail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        String url = header.substring(1, header.length() - 1);
        Document html = Jsoup.parse(Mailbox.part(mail, "text/html"));
        assertThat(html.select("a.unsubscribe").attr("href")).isEqualTo(url);
        assertThat(Mailbox.part(mail, "text/plain")).contains(url);

        String path = url.substring(BASE_URL.length());
        String token = path.substring(path.indexOf("token=") + 6);
        // GET shows what it turns off, and changes nothing
        Document confirm = Jsoup.parse(given().redirects().follow(false).get(path).then().statusCode(200).extract().asString());
        assertThat(confirm.select("form[method=post]").attr("action")).isEqualTo(path);
        assertThat(confirm.select("h1").text()).contains("mentions you");
        assertThat(as(reader.username()).get("/api/preferences").then().extract().jsonPath().getBoolean("emailOnMention")).isTrue();

        // a digest's token does not work here, nor a mention token for digests, nor a changed one
        String digestToken = links.sign(DigestMail.UNSUBSCRIBE, Map.of("sub", String.valueOf(reader.id())), Duration.ofHours(1));
        refused("/mentions/unsubscribe?token=" + digestToken, "made for something else");
        refused("/digest/unsubscribe?token=" + token, "made for something else");
        refused("/mentions/unsubscribe?token=" + token.substring(0, token.length() - 3), "not valid");
        assertThat(as(reader.username()).get("/api/preferences").then().extract().jsonPath().getBoolean("emailOnMention")).isTrue();

        // RFC 8058: a POST with the form body, no cookie, no CSRF token
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(path).then().statusCode(200).body(containsString("unsubscribed from mention mails"));
        var preferences = as(reader.username()).get("/api/preferences").then().extract().jsonPath();
        assertThat(preferences.getBoolean("emailOnMention")).isFalse();
        assertThat(preferences.getString("digest")).isEqualTo("daily"); // digests stay as they were

        mention("bob", reader, channel);
        sendMentions();
        assertThat(mails(reader)).hasSize(1);
    }

    private void refused(String path, String reason) {
        for (String method : List.of("GET", "POST")) {
            String page = given().redirects().follow(false).contentType(ContentType.URLENC)
                    .formParam("List-Unsubscribe", "One-Click").request(method, path)
                    .then().statusCode(400).extract().asString();
            assertThat(Jsoup.parse(page).select(".detail").text()).contains(reason);
        }
    }

    // ---------------------------------------------------------------- suspended members

    @Test
    void shouldMailNoMentionsToASuspendedMember() {
        Member suspended = member("stop-susp");
        Member active = member("stop-active");
        String channel = TestData.networkChannel(pool);
        suspend(suspended);
        mention("alice", suspended, channel);
        mention("alice", active, channel);
        sendMentions();
        assertThat(mails(active)).hasSize(1); // the job ran, and sent what was due
        assertThat(mails(suspended)).isEmpty();
    }

    @Test
    void shouldSendNoDigestToASuspendedMemberAndCloseTheirPeriodEmpty() {
        Member suspended = member("stop-dsusp");
        Member active = member("stop-dactive");
        String channel = TestData.networkChannel(pool);
        Instant due = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        int hour = due.atOffset(ZoneOffset.UTC).getHour();
        for (Member m : List.of(suspended, active)) {
            as(m.username()).body(Map.of("level", "watching")).put("/api/channels/" + channel + "/follow").then().statusCode(200);
            as(m.username()).body(Map.of("digest", "daily", "hour", hour, "weekday", 1, "timeZone", "UTC"))
                    .put("/api/preferences").then().statusCode(200);
        }
        suspend(suspended);
        TestData.thread("alice", channel, "News for the watchers", "Something new");

        digests.run(Clock.fixed(due.plus(5, ChronoUnit.MINUTES), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(2));

        assertThat(mails(active)).hasSize(1);
        assertThat(mails(suspended)).isEmpty();
        long pending = pool.preparedQuery("select count(*) from digest where member_id = $1 and status = 'pending'")
                .execute(Tuple.of(suspended.id())).await().indefinitely().iterator().next().getLong(0);
        long empty = pool.preparedQuery("select count(*) from digest where member_id = $1 and status = 'empty'")
                .execute(Tuple.of(suspended.id())).await().indefinitely().iterator().next().getLong(0);
        assertThat(pending).isZero();
        assertThat(empty).isEqualTo(1);
    }

    @Test
    void shouldLetASuspendedMemberChooseTheirMailsOnThePageAndThroughTheApi() {
        Member member = member("stop-prefs");
        Document before = Pages.page(member.username(), "/preferences");
        suspend(member);

        as(member.username()).body(Map.of("digest", "off", "emailOnMention", false)).put("/api/preferences")
                .then().statusCode(200);
        var saved = as(member.username()).get("/api/preferences").then().extract().jsonPath();
        assertThat(saved.getString("digest")).isEqualTo("off");
        assertThat(saved.getBoolean("emailOnMention")).isFalse();

        Document page = Pages.page(member.username(), "/preferences");
        assertThat(page.select("form.preferences")).isNotEmpty();
        Response response = Pages.submit(member.username(), page, "form.preferences",
                Map.of("frequency", "weekly", "emailOnMention", "on"));
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.header("Location")).endsWith("/preferences?saved=true");
        saved = as(member.username()).get("/api/preferences").then().extract().jsonPath();
        assertThat(saved.getString("digest")).isEqualTo("weekly");
        assertThat(saved.getBoolean("emailOnMention")).isTrue();
        assertThat(before.select("form.preferences")).isNotEmpty();
    }
}
